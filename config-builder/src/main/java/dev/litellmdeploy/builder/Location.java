package dev.litellmdeploy.builder;

/** Where a finding comes from: a file relative to the input directory it belongs to, and a 1-based line (0: whole file). */
public record Location(String file, int line) {
    public static final Location NONE = new Location("", 0);

    public static Location of(String file, int line) {
        return new Location(file, line);
    }

    @Override
    public String toString() {
        if (file.isEmpty()) {
            return "";
        }
        return line > 0 ? file + ":" + line : file;
    }
}
