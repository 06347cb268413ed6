package dev.litellmdeploy.deployer.bundle;

import java.util.List;

/** Hides a bundle's secret values in anything the deployer shows: journal lines, errors, diffs. */
public final class SecretMask {
    public static final String MARKER = "<redacted>";
    private final List<String> secrets;

    public SecretMask(List<String> secrets) {
        this.secrets = secrets.stream().filter(s -> s.length() >= 4).sorted((a, b) -> Integer.compare(b.length(), a.length())).toList();
    }

    public static SecretMask none() {
        return new SecretMask(List.of());
    }

    public String apply(String text) {
        if (text == null) {
            return null;
        }
        String out = text;
        for (String s : secrets) {
            out = out.replace(s, MARKER);
        }
        return out;
    }
}
