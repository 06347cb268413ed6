package dev.litellmdeploy.deployer.remote;

/**
 * The host could not be reached or trusted: network, host key, authentication, sudo. Nothing on
 * the host was changed. The message says what to do next.
 */
public class ConnectionException extends Exception {
    public ConnectionException(String message) {
        super(message);
    }

    public ConnectionException(String message, Throwable cause) {
        super(message, cause);
    }
}
