package dev.litellmdeploy.deployer;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

import dev.litellmdeploy.deployer.bundle.SecretRegistry;

/**
 * Where a server's env-build takes the locked packages and, when the server has no Python of the locked version, uv's managed
 * Python from, when the release names no wheelhouse: {@code --python-index URL} (a PEP 503 simple index: a mirror or a private
 * one; null: uv's default, PyPI) and {@code --python-install-mirror URL} (UV_PYTHON_INSTALL_MIRROR; null: uv's default,
 * GitHub). Either URL may carry {@code user:password@}: the URLs go to the server and into plans without it, the credentials
 * only as netrc lines over the deploy lock's channel (never in an argument list, a unit or a file left behind), and every
 * output masks them (they join {@link SecretRegistry}). docs/python-env.md, docs/security.md.
 */
public record PythonSource(Location index, Location mirror) {
    public static final PythonSource DEFAULT = new PythonSource(null, null);
    /** What the helper accepts as a URL (after the credentials came off), and as a netrc token. */
    private static final Pattern URL = Pattern.compile("https?://[A-Za-z0-9.-]+(:[0-9]{1,5})?(/[A-Za-z0-9._~%/+=-]*)?");
    private static final Pattern TOKEN = Pattern.compile("[!#-\\[\\]-~]{1,200}");

    /**
     * One URL: what is shown and sent ({@code url}, no credentials), the host a credential is for, and the credential (null: none).
     */
    public record Location(String url, String host, String login, String password) {
        static Location parse(String option, String text) {
            URI uri;
            try {
                uri = new URI(text.strip());
            } catch (URISyntaxException e) {
                throw new IllegalArgumentException(option + " is not a URL (" + e.getReason() + ")");
            }
            String userInfo = uri.getRawUserInfo();
            String shown = uri.getScheme() + "://" + uri.getHost() + (uri.getPort() < 0 ? "" : ":" + uri.getPort())
                    + (uri.getRawPath() == null ? "" : uri.getRawPath());
            if (uri.getScheme() == null || uri.getHost() == null || uri.getRawQuery() != null || uri.getRawFragment() != null
                    || !URL.matcher(shown).matches()) {
                throw new IllegalArgumentException(option + " must be an http:// or https:// URL with a host, an optional port and path,"
                        + " and no query or fragment: " + (userInfo == null ? text.strip() : shown + " (credentials not shown)"));
            }
            if (userInfo == null) {
                return new Location(shown, uri.getHost(), null, null);
            }
            int colon = userInfo.indexOf(':');
            String login = colon < 0 ? "" : decode(userInfo.substring(0, colon));
            String password = colon < 0 ? "" : decode(userInfo.substring(colon + 1));
            if (!TOKEN.matcher(login).matches() || !TOKEN.matcher(password).matches()) {
                throw new IllegalArgumentException(option + " " + shown + ": the credentials must be user:password (percent-encoded in the"
                        + " URL; a token-only index takes a user name such as __token__), each without spaces, quotes or backslashes");
            }
            return new Location(shown, uri.getHost(), login, password);
        }

        private static String decode(String s) {
            return URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
        }

        /** The password and the encoded user info as they may appear in any text, for masking. */
        List<String> secrets() {
            return password == null ? List.of() : List.of(password, login + ":" + password);
        }
    }

    /**
     * Both URLs read (null or blank: uv's default), their credentials registered for masking before anything is printed.
     *
     * @throws IllegalArgumentException naming the option, never showing a credential
     */
    public static PythonSource of(String index, String mirror) {
        SecretRegistry.global().add(credentialsIn(index));
        SecretRegistry.global().add(credentialsIn(mirror));
        Location i = index == null || index.isBlank() ? null : Location.parse("--python-index", index);
        Location m = mirror == null || mirror.isBlank() ? null : Location.parse("--python-install-mirror", mirror);
        PythonSource source = new PythonSource(i, m);
        if (i != null && m != null && i.password() != null && m.password() != null && i.host().equals(m.host())
                && !(i.login().equals(m.login()) && i.password().equals(m.password()))) {
            throw new IllegalArgumentException("--python-index and --python-install-mirror give different credentials for " + i.host()
                    + "; uv takes one per host");
        }
        return source;
    }

    /**
     * The credential parts of a URL as given (its user info, and the password in it as written and decoded), for a mask made
     * before the URL is checked (the action's first step); never throws.
     */
    public static List<String> credentialsIn(String url) {
        if (url == null) {
            return List.of();
        }
        String rest = url.strip().replaceFirst("^[A-Za-z][A-Za-z0-9+.-]*://", "");
        String authority = rest.split("[/?#]", 2)[0];
        int at = authority.lastIndexOf('@');
        if (at < 0) {
            return List.of();
        }
        String info = authority.substring(0, at);
        String secret = info.substring(info.indexOf(':') + 1);
        List<String> out = new ArrayList<>(List.of(info, secret));
        try {
            out.add(Location.decode(secret));
        } catch (IllegalArgumentException e) {
            // not percent-encoding: masked as written
        }
        return out;
    }

    public boolean isDefault() {
        return index == null && mirror == null;
    }

    /** Every credential value, for a mask. */
    public List<String> secrets() {
        List<String> all = new ArrayList<>();
        for (Location l : new Location[] {index, mirror}) {
            if (l != null) {
                all.addAll(l.secrets());
            }
        }
        return all;
    }

    /** The netrc lines uv reads the credentials from (one per host), empty when there are none. */
    public String netrc() {
        StringBuilder s = new StringBuilder();
        for (Location l : new Location[] {index, mirror}) {
            if (l != null && l.password() != null && s.indexOf("machine " + l.host() + " ") < 0) {
                s.append("machine ").append(l.host()).append(" login ").append(l.login()).append(" password ").append(l.password()).append('\n');
            }
        }
        return s.toString();
    }

    /** What plans say about it (no credentials): where env-build takes packages and Python from. */
    public String describe() {
        String from = index == null ? "from the default index" : "from the index " + index.url() + (index.password() != null ? " (with credentials)" : "");
        return mirror == null ? from : from + ", Python from the mirror " + mirror.url() + (mirror.password() != null ? " (with credentials)" : "");
    }
}
