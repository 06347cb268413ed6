package dev.litellmdeploy.builder;

/** One problem found in the inputs. Messages name files, lines and keys, never a secret value. */
public record Finding(Severity severity, String code, String message, Location location) {

    public static Finding error(String code, Location location, String message) {
        return new Finding(Severity.ERROR, code, message, location);
    }

    public static Finding warning(String code, Location location, String message) {
        return new Finding(Severity.WARNING, code, message, location);
    }

    public boolean isError() {
        return severity == Severity.ERROR;
    }

    /** {@code file:line: error [code] message}, the form compilers use, so editors can jump to it. */
    @Override
    public String toString() {
        String where = location.toString();
        return (where.isEmpty() ? "" : where + ": ") + severity.name().toLowerCase(java.util.Locale.ROOT)
                + " [" + code + "] " + message;
    }
}
