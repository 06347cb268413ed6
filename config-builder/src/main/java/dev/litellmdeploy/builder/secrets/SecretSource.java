package dev.litellmdeploy.builder.secrets;

/** Where a secret came from: its file (relative to the secrets directory), its line there (0: unknown) and how it was stored. */
public record SecretSource(String file, int line, Protection protection) {

    public enum Protection {
        /** plain YAML or JSON */
        PLAIN,
        /** SOPS values, opened with an age identity */
        SOPS,
        /** a whole file encrypted with age */
        AGE;

        public String label() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    public boolean encrypted() {
        return protection != Protection.PLAIN;
    }

    /** file:line, or the file when the line is unknown. */
    public String where() {
        return line > 0 ? file + ":" + line : file;
    }
}
