package dev.litellmdeploy.builder;

/**
 * What validation needs to know beyond the config itself.
 *
 * @param listenHost  the address the service will listen on (the unit's --host)
 * @param allowNoAuth accept a proxy without master key on a non-loopback address
 * @param litellmVersion the LiteLLM version the bundle pins, for rules that differ between versions; null when unknown
 */
public record ValidationOptions(String listenHost, boolean allowNoAuth, String litellmVersion) {
    public static final ValidationOptions DEFAULTS = new ValidationOptions("0.0.0.0", false);

    public ValidationOptions(String listenHost, boolean allowNoAuth) {
        this(listenHost, allowNoAuth, null);
    }

    boolean listensBeyondLoopback() {
        return !(listenHost.startsWith("127.") || "localhost".equals(listenHost) || "::1".equals(listenHost));
    }
}
