package dev.litellmdeploy.deployer;

import dev.litellmdeploy.deployer.remote.ConnectionException;
import dev.litellmdeploy.deployer.remote.RemoteCommandException;

/**
 * What a failed first helper call means (its stderr is sudo's or the helper's): a sudo that wants a password, a user
 * sudoers does not allow, a missing or different installed helper are connection problems with the fix in the message;
 * anything else is a failed check. Nothing was changed in any case.
 */
final class SudoDiagnosis {
    private SudoDiagnosis() {
    }

    static Exception of(String err, int status, DeploySettings settings, String host) {
        String helper = settings.sudoHelper();
        if (err.contains("HELPER-MISMATCH")) {
            return new ConnectionException("the helper at " + helper + " on " + host + " is not the one this"
                    + " deployer needs (another version, or made for other paths). Reinstall it: litellm-deploy helper > litellm-deploy-helper;"
                    + " then on the host: sudo install -m 0755 -o root -g root litellm-deploy-helper " + helper + ". Nothing was changed.");
        }
        if (helper != null && (err.contains("command not found") || err.contains("No such file"))) {
            return new ConnectionException("there is no helper at " + helper + " on " + host + ". Install it"
                    + " once (litellm-deploy helper --help shows how). Nothing was changed.");
        }
        if (err.contains("is not allowed to execute") || err.contains("not allowed to run")) {
            return new ConnectionException("sudo on " + host + " does not let this user run the deployer's commands ("
                    + err.strip() + "). If sudoers allows only the litellm-deploy helper, pass --sudo-helper with its path. Nothing was changed.");
        }
        if (err.contains("password is required") || err.contains("a terminal is required") || err.contains("askpass")) {
            return new ConnectionException("sudo on " + host + " asks for a password (or this user may not use sudo at all:"
                    + " without a password sudo does not say which), and a deploy cannot type one. "
                    + (helper == null
                            ? "If sudoers allows this user only the litellm-deploy helper, pass --sudo-helper with its path; else give"
                                    + " the user passwordless sudo (docs/security.md has both sudoers entries) or deploy as root."
                            : "Let the user run " + helper + " without a password: "
                                    + HelperScript.sudoers("<user>", helper).strip() + " (docs/security.md).")
                    + " Nothing was changed.");
        }
        if (err.contains("not in the sudoers") || err.contains("may not run sudo")) {
            return new ConnectionException("the user on " + host + " may not use sudo; nothing was changed.");
        }
        return new RemoteCommandException("preflight on " + host + " failed: " + err.strip(), status, err);
    }
}
