package dev.litellmdeploy.builder;

/**
 * What validation needs to know beyond the config itself.
 *
 * @param listenHost  the address the service will listen on (the unit's --host)
 * @param allowNoAuth accept a proxy without master key on a non-loopback address
 */
public record ValidationOptions(String listenHost, boolean allowNoAuth) {
    public static final ValidationOptions DEFAULTS = new ValidationOptions("0.0.0.0", false);

    boolean listensBeyondLoopback() {
        return !(listenHost.startsWith("127.") || "localhost".equals(listenHost) || "::1".equals(listenHost));
    }
}
