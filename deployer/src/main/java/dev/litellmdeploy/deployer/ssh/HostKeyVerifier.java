package dev.litellmdeploy.deployer.ssh;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.StringReader;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

import org.apache.sshd.client.config.hosts.KnownHostEntry;
import org.apache.sshd.client.keyverifier.ServerKeyVerifier;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.config.keys.PublicKeyEntryResolver;
import org.apache.sshd.common.util.net.SshdSocketAddress;

/**
 * Checks the server's host key before authentication, against known_hosts entries (parsed by
 * MINA: hashed names, [host]:port, markers) and pinned fingerprints. The outcome of the last
 * check per address is kept so a failed connection can explain itself.
 */
final class HostKeyVerifier implements ServerKeyVerifier {
    static final Pattern FINGERPRINT = Pattern.compile("SHA256:[A-Za-z0-9+/]{43}=?");

    private final List<KnownHostEntry> entries;
    private final List<String> pins;
    private final boolean acceptNew;
    private final Map<String, String> rejections = new ConcurrentHashMap<>();

    HostKeyVerifier(HostKeyPolicy policy) throws IOException {
        this.entries = KnownHostEntry.readKnownHostEntries(new BufferedReader(new StringReader(policy.knownHosts())));
        for (String pin : policy.fingerprints()) {
            if (!FINGERPRINT.matcher(pin.trim()).matches()) {
                throw new IOException("'" + pin + "' is not a host key fingerprint: expected SHA256: followed by 43 base64"
                        + " characters, as `ssh-keygen -lf /etc/ssh/ssh_host_ed25519_key.pub` prints it");
            }
        }
        this.pins = policy.fingerprints().stream().map(p -> p.trim().replaceAll("=$", "")).toList();
        this.acceptNew = policy.acceptNew();
    }

    @Override
    public boolean verifyServerKey(ClientSession session, SocketAddress remote, PublicKey key) {
        SshdSocketAddress address = requested(session, remote);
        String host = address.getHostName();
        int port = address.getPort();
        String offered = KeyUtils.getFingerPrint(key);
        if (pins.contains(offered)) {
            return true;
        }
        List<KnownHostEntry> matching = new ArrayList<>();
        for (KnownHostEntry e : entries) {
            if (e.isHostMatch(host, port)) {
                matching.add(e);
            }
        }
        boolean revoked = false;
        for (KnownHostEntry e : matching) {
            if (keyEquals(e, key)) {
                if ("revoked".equals(e.getMarker())) {
                    revoked = true;
                } else if (e.getMarker() == null || e.getMarker().isEmpty()) {
                    return true;
                }
            }
        }
        String where = port == 22 ? host : "[" + host + "]:" + port;
        if (revoked) {
            rejections.put(where, "the host key of " + where + " (" + offered + ") is marked @revoked in known_hosts");
            return false;
        }
        if (!matching.isEmpty() || !pins.isEmpty()) {
            rejections.put(where, "HOST KEY MISMATCH for " + where + ": it offered " + KeyUtils.getKeyType(key) + " " + offered
                    + ", which does not match " + (pins.isEmpty() ? "known_hosts" : "the pinned fingerprint")
                    + ". Someone may be intercepting the connection, or the server was reinstalled. If the change is expected,"
                    + " verify the new fingerprint on the server (ssh-keygen -lf /etc/ssh/ssh_host_ed25519_key.pub) and update"
                    + " known_hosts / the pin");
            return false;
        }
        if (acceptNew) {
            return true;
        }
        rejections.put(where, "unknown host key for " + where + ": it offered " + KeyUtils.getKeyType(key) + " " + offered
                + ". Check it on the server (ssh-keygen -lf /etc/ssh/ssh_host_ed25519_key.pub), then pin it with --fingerprint "
                + offered + " or add the host to known_hosts (ssh-keyscan -p " + port + " " + host + "); "
                + "--accept-new-host-key trusts it on first use");
        return false;
    }

    /** A refusal whose address mentions this host (for the jump host, whose port the caller may not know). */
    String rejectionMentioning(String userHostPort) {
        String host = userHostPort.replaceAll("^.*@", "").replaceAll(":\\d+$", "");
        return rejections.entrySet().stream().filter(e -> e.getKey().contains(host)).map(Map.Entry::getValue).findFirst().orElse(null);
    }

    /** Why the last connection to this address was refused, or null. */
    String rejection(String host, int port) {
        return rejections.get(port == 22 ? host : "[" + host + "]:" + port);
    }

    private static boolean keyEquals(KnownHostEntry entry, PublicKey key) {
        try {
            PublicKey known = entry.getKeyEntry().resolvePublicKey(null, PublicKeyEntryResolver.IGNORING);
            return known != null && KeyUtils.compareKeys(known, key);
        } catch (IOException | GeneralSecurityException e) {
            return false;
        }
    }

    /**
     * The address the client asked for, by the name it was given (not the resolved one). Through a jump
     * host the session's own address is the local end of the tunnel; the target's name is then the
     * unresolved remote address MINA passes here.
     */
    private static SshdSocketAddress requested(ClientSession session, SocketAddress remote) {
        if (remote instanceof InetSocketAddress r && r.isUnresolved()) {
            return new SshdSocketAddress(r.getHostString(), r.getPort());
        }
        Object asked = session.getConnectAddress();
        if (asked instanceof SshdSocketAddress s) {
            return s;
        }
        SocketAddress a = asked instanceof InetSocketAddress ? (SocketAddress) asked : remote;
        return a instanceof InetSocketAddress i ? new SshdSocketAddress(i.getHostString(), i.getPort()) : new SshdSocketAddress(String.valueOf(a), 22);
    }
}
