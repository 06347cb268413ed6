package dev.litellmdeploy.deployer.remote;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * How root actions reach a host: every one is a verb of the litellm-deploy helper script. The
 * helper's text is either sent with each call ({@code sudo -n -- bash -c '<text>' ...}: root or
 * full sudo), or called at a fixed installed path that sudoers allows alone
 * ({@code sudo -n /usr/local/libexec/litellm-deploy-helper VERB ARGS}).
 *
 * @param text          the helper script, rendered for the host's layout
 * @param installedPath where the installed copy lives, or null to send the text inline
 */
public record RemoteHelper(String text, String installedPath) {

    public boolean installed() {
        return installedPath != null;
    }

    /** What the installed copy's sha256 must be ({@code -}: nothing to check when sent inline). */
    public String expectedSha256() {
        if (!installed()) {
            return "-";
        }
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The remote command line for one verb, for a login user ({@code root} needs no sudo). */
    public String commandLine(String loginUser, String verb, String... args) {
        StringBuilder argv = new StringBuilder(verb);
        for (String a : args) {
            argv.append(' ').append(Shell.quote(a));
        }
        boolean root = "root".equals(loginUser);
        if (installed()) {
            return (root ? "" : "sudo -n ") + Shell.quote(installedPath) + " " + argv;
        }
        return (root ? "" : "sudo -n -- ") + "bash -c " + Shell.quote(text) + " litellm-deploy-helper " + argv;
    }
}
