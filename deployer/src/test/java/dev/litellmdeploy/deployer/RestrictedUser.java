package dev.litellmdeploy.deployer;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

import org.testcontainers.containers.Container.ExecResult;

import dev.litellmdeploy.testsupport.TestHost;

/**
 * A deploy user that sudoers allows exactly one command, the installed helper (the entry in
 * docs/security.md), on a test host: what the restricted-mode tests act as.
 */
final class RestrictedUser {
    static final String NAME = "limited";
    static final String HELPER = HelperScript.DEFAULT_PATH;

    private RestrictedUser() {
    }

    /** Creates the user (same SSH key as root), installs this version's restricted helper and the sudoers entry. */
    static void setUp(TestHost host) {
        String helper = HelperScript.render(RemoteLayout.defaults(), true);
        host.exec("useradd --create-home --shell /bin/bash " + NAME
                + " && install -d -m 0700 -o " + NAME + " -g " + NAME + " /home/" + NAME + "/.ssh"
                + " && install -m 0600 -o " + NAME + " -g " + NAME + " /root/.ssh/authorized_keys /home/" + NAME + "/.ssh/authorized_keys"
                + " && printf '%s' '" + HelperScript.sudoers(NAME, HELPER) + "' > /etc/sudoers.d/litellm-deploy"
                + " && chmod 0440 /etc/sudoers.d/litellm-deploy && visudo -cq"
                + " && install -d /usr/local/libexec"
                + " && echo " + Base64.getEncoder().encodeToString(helper.getBytes(StandardCharsets.UTF_8)) + " | base64 -d > " + HELPER
                + " && chmod 0755 " + HELPER);
    }

    /** Runs a bash script as the restricted user (a login shell of theirs: what their SSH key gives them). */
    static ExecResult run(TestHost host, String script) {
        return host.execResult("su -s /bin/bash " + NAME + " -c 'echo " + Base64.getEncoder().encodeToString(script.getBytes(StandardCharsets.UTF_8))
                + " | base64 -d | bash'");
    }
}
