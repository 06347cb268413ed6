package dev.litellmdeploy.deployer;

/** One server: host name or address and SSH port. Parsed from HOST, HOST:PORT or [IPv6]:PORT. */
public record HostTarget(String host, int port) {

    public static HostTarget parse(String spec, int defaultPort) {
        String s = spec == null ? "" : spec.trim();
        if (s.isEmpty()) {
            throw new IllegalArgumentException("empty host");
        }
        String host = s;
        int port = defaultPort;
        if (s.startsWith("[")) {
            int close = s.indexOf(']');
            if (close < 0) {
                throw new IllegalArgumentException("'" + spec + "': unclosed [ in an IPv6 address");
            }
            host = s.substring(1, close);
            if (s.length() > close + 1) {
                if (s.charAt(close + 1) != ':') {
                    throw new IllegalArgumentException("'" + spec + "': expected :PORT after ]");
                }
                port = port(spec, s.substring(close + 2));
            }
        } else if (s.indexOf(':') >= 0 && s.indexOf(':') == s.lastIndexOf(':')) {
            host = s.substring(0, s.indexOf(':'));
            port = port(spec, s.substring(s.indexOf(':') + 1));
        }
        if (!host.matches("[A-Za-z0-9._:%-]+")) {
            throw new IllegalArgumentException("'" + spec + "' is not a host name or address");
        }
        return new HostTarget(host, port);
    }

    private static int port(String spec, String text) {
        try {
            int p = Integer.parseInt(text);
            if (p < 1 || p > 65535) {
                throw new IllegalArgumentException("'" + spec + "': port " + p + " is out of range (1-65535)");
            }
            return p;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + spec + "': '" + text + "' is not a port number");
        }
    }

    @Override
    public String toString() {
        return host.contains(":") ? "[" + host + "]:" + port : host + ":" + port;
    }
}
