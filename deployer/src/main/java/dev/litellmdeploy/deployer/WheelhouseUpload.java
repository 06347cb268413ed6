package dev.litellmdeploy.deployer;

import java.io.IOException;
import java.nio.file.Files;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

import dev.litellmdeploy.deployer.bundle.Bundle;
import dev.litellmdeploy.deployer.remote.RemoteCommandException;
import dev.litellmdeploy.deployer.remote.RemoteHost;

/**
 * Puts the wheelhouse a bundle names (UV_FIND_LINKS in its unit, from {@code build --wheelhouse}) on a host that lacks it:
 * only the files the host does not hold (the state read lists the digests of its wheel store) go, in one tar stream, into
 * the login user's staging folder; the helper's {@code wheelhouse} verb copies them as that user into a root-owned
 * directory, checks every digest on its copy, adds them to the store and assembles the wheelhouse from the store. A host
 * that has the wheelhouse (the state read lists it) gets nothing; an upgrade sends only the wheels that changed.
 */
public final class WheelhouseUpload {
    public static final String STEP = "wheelhouse";

    private WheelhouseUpload() {
    }

    /** A local wheelhouse must be the one the bundle was built with (checked before any host is contacted). */
    public static void checkMatches(Bundle bundle, DeploySettings settings) {
        Wheelhouse local = settings.wheelhouse();
        if (bundle == null || local == null) {
            return;
        }
        String named = Wheelhouse.namedBy(bundle, settings.layout());
        if (named == null) {
            throw new IllegalArgumentException("--wheelhouse " + local.dir() + " was given, but the bundle was built without it: its unit"
                    + " would not install from it. Build the bundle with `litellm-deploy build --wheelhouse " + local.dir() + " ...`");
        }
        if (!named.equals(local.shortDigest())) {
            throw new IllegalArgumentException("the bundle installs from wheelhouse " + named + ", but --wheelhouse " + local.dir() + " is "
                    + local.shortDigest() + " (another LiteLLM version, or its files changed): pass the directory the bundle was built with,"
                    + " or build the bundle again with this one");
        }
    }

    /** The host lacks the wheelhouse this bundle's unit installs from. */
    public static boolean needed(Bundle bundle, RemoteLayout layout, HostState state) {
        String named = Wheelhouse.namedBy(bundle, layout);
        return named != null && !Wheelhouse.present(state.wheelhouses(), named);
    }

    /** Uploads what the host lacks and installs it; the detail says how many files and bytes went, and how long the upload took. */
    public static String run(RemoteHost host, Bundle bundle, DeploySettings settings, HostState state) throws RemoteCommandException, IOException {
        String named = Wheelhouse.namedBy(bundle, settings.layout());
        Wheelhouse local = settings.wheelhouse();
        if (local == null) {
            throw new IllegalStateException("the bundle's unit installs LiteLLM from the wheelhouse " + Wheelhouse.remoteDir(settings.layout(), named)
                    + ", which " + host.describe() + " does not have; pass --wheelhouse DIR (the directory the bundle was built with)"
                    + " so the deployer uploads it");
        }
        String staging = host.stagingDir() + "/wheelhouse-" + local.shortDigest();
        Set<String> onHost = new HashSet<>(state.wheels());
        Map<String, byte[]> files = new LinkedHashMap<>();
        long bytes = 0;
        for (Map.Entry<String, String> f : local.sha256ByName().entrySet()) {
            if (onHost.add(f.getValue())) { // the host lacks it (and it is not already in this upload under another name)
                byte[] content = Files.readAllBytes(local.dir().resolve(f.getKey()));
                bytes += content.length;
                files.put(staging + "/" + f.getKey(), content);
            }
        }
        long start = System.nanoTime();
        if (!files.isEmpty()) {
            host.upload(files);
        }
        long uploadMs = Math.max(1, (System.nanoTime() - start) / 1_000_000);
        String out = host.callChecked("installing the wheelhouse", settings.commandTimeout(), "wheelhouse", local.digest(), local.checksums());
        return String.format("uploaded %d files, %.1f MB in %.1f s (%.1f MB/s); %d of %d already on the host; %s", files.size(), bytes / 1e6,
                uploadMs / 1000.0, bytes / 1e3 / uploadMs, local.sha256ByName().size() - files.size(), local.sha256ByName().size(), out.strip());
    }
}
