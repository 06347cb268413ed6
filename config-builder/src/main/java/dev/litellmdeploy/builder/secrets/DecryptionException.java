package dev.litellmdeploy.builder.secrets;

/**
 * An encrypted secrets file could not be opened: which problem (a stable code), where (a key path and the
 * line in the encrypted file, when known) and what to do. The message never holds a value or a key.
 */
public final class DecryptionException extends Exception {
    private final String code;
    private final String keyPath;
    private final int line;

    public DecryptionException(String code, String keyPath, int line, String message) {
        super(message);
        this.code = code;
        this.keyPath = keyPath;
        this.line = line;
    }

    public DecryptionException(String code, String message) {
        this(code, null, 0, message);
    }

    /** e.g. secrets-sops-tampered; every code starts with "secrets-". */
    public String code() {
        return code;
    }

    /** The dotted key path the problem is at, or null for the whole file. */
    public String keyPath() {
        return keyPath;
    }

    /** 1-based line in the encrypted file, or 0. */
    public int line() {
        return line;
    }
}
