package dev.litellmdeploy.builder;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A URL as the redacted view shows it: scheme, host, port and path kept; the userinfo, every query
 * value and the fragment replaced by the marker ({@code https://<redacted>@db:5432/app?sslkey=<redacted>}).
 * A value that is not plainly a {@code scheme://host[:port]} URL (an unencoded {@code /} or space in a
 * password makes it ambiguous) is hidden whole. The hidden parts are returned too:
 * they are secrets to mask everywhere.
 */
final class UrlRedaction {
    record Result(String shown, List<String> hidden) {
    }

    private static final Pattern URL = Pattern.compile(
            "([A-Za-z][A-Za-z0-9+.-]*://)(?:([^/?#]*)@)?([^/?#@]*)([^?#]*)(?:\\?([^#]*))?(?:#(.*))?", Pattern.DOTALL);

    /** A host (name, IPv4, [IPv6]) and an optional numeric port: anything else means the URL was not split where it seems. */
    private static final Pattern HOST = Pattern.compile("(\\[[0-9A-Fa-f:.]+]|[A-Za-z0-9._~%-]*)(:\\d*)?");

    private UrlRedaction() {
    }

    static Result redact(String value, String marker) {
        Matcher m = URL.matcher(value);
        if (!m.matches() || !HOST.matcher(m.group(3)).matches() || m.group(4).contains("@")
                || value.chars().anyMatch(c -> c <= ' ' || c == 0x7f)) {
            return new Result(marker, List.of(value));
        }
        List<String> hidden = new ArrayList<>();
        StringBuilder shown = new StringBuilder(m.group(1));
        String userinfo = m.group(2);
        if (userinfo != null) {
            shown.append(marker).append('@');
            hidden.add(userinfo);
            int colon = userinfo.indexOf(':');
            if (colon >= 0 && colon + 1 < userinfo.length()) {
                hidden.add(userinfo.substring(colon + 1));
            }
        }
        shown.append(m.group(3)).append(m.group(4));
        String query = m.group(5);
        if (query != null) {
            shown.append('?');
            String[] params = query.split("&", -1);
            for (int i = 0; i < params.length; i++) {
                String p = params[i];
                int eq = p.indexOf('=');
                if (i > 0) {
                    shown.append('&');
                }
                if (eq >= 0) {
                    shown.append(p, 0, eq + 1).append(p.length() > eq + 1 ? marker : "");
                    hidden.add(p.substring(eq + 1));
                } else if (!p.isEmpty()) {
                    shown.append(marker);
                    hidden.add(p);
                }
            }
        }
        if (m.group(6) != null) {
            shown.append('#').append(marker);
            hidden.add(m.group(6));
        }
        hidden.removeIf(String::isEmpty);
        return new Result(shown.toString(), List.copyOf(hidden));
    }
}
