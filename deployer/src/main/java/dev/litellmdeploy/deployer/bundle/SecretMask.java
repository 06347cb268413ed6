package dev.litellmdeploy.deployer.bundle;

import java.util.List;

/** Hides a bundle's secret values in anything the deployer shows: journal lines, errors, diffs. */
public final class SecretMask {
    public static final String MARKER = "<redacted>";
    private final List<String> secrets;
    private final String marker;

    public SecretMask(List<String> secrets) {
        this(secrets, MARKER);
    }

    /** Hides values of 4 characters or more (shorter ones would garble the text), longest first, with the given marker. */
    public SecretMask(List<String> secrets, String marker) {
        this.secrets = secrets.stream().filter(s -> s != null && s.length() >= 4).distinct()
                .sorted((a, b) -> Integer.compare(b.length(), a.length())).toList();
        this.marker = marker;
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
            out = out.replace(s, marker);
        }
        return out;
    }
}
