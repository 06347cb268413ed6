package dev.litellmdeploy.deployer;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

import dev.litellmdeploy.deployer.remote.RemoteHelper;
import dev.litellmdeploy.deployer.remote.Shell;
import dev.litellmdeploy.deployer.unit.UnitSkeleton;

/**
 * The root helper ({@link #FILES}: helper-body.sh, helper-blue-green.sh, helper-adopt.sh, helper-wheelhouse.sh, helper-drift.sh, helper-env.sh, helper-probe.sh, helper-main.sh, each
 * lintable alone) rendered for a layout: a header of the
 * paths it may touch, then the verbs. The installed form ({@code restricted}) refuses to run uv installer scripts as root,
 * so a deploy user limited by sudoers to this one file cannot get a root shell through it.
 */
public final class HelperScript {
    /** Where the installed helper lives by default (the path in the sudoers snippet). */
    public static final String DEFAULT_PATH = "/usr/local/libexec/litellm-deploy-helper";
    /** The helper's files, concatenated in this order after the rendered header (each one lintable on its own). */
    static final java.util.List<String> FILES = java.util.List.of("helper-body.sh", "helper-blue-green.sh", "helper-adopt.sh",
            "helper-wheelhouse.sh", "helper-drift.sh", "helper-env.sh", "helper-probe.sh", "helper-main.sh");
    private static final String BODY = FILES.stream().map(HelperScript::load).collect(java.util.stream.Collectors.joining("\n"));

    private HelperScript() {
    }

    public static String render(RemoteLayout l, boolean restricted) {
        String uvBin = l.uvxPath().substring(0, l.uvxPath().lastIndexOf('/'));
        return "#!/bin/bash\n"
                + "# litellm-deploy remote helper. Install root:root 0755; see `litellm-deploy helper --help` and docs/security.md.\n"
                + "set -euo pipefail\n"
                + "export LC_ALL=C PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin\n"
                + "umask 077\n"
                + var("LD_VERSION", "1")
                + var("LD_PROTOCOL", Integer.toString(dev.litellmdeploy.deployer.remote.Helper.PROTOCOL))
                + var("LD_UNIT", l.unitName())
                + var("LD_UNIT_PATH", l.unitPath())
                + var("LD_CONFIG_DIR", l.configDir())
                + var("LD_CONFIG", l.configPath())
                + var("LD_ENV", l.envPath())
                + var("LD_USER", l.serviceUser())
                + var("LD_HOME", l.serviceHome())
                + var("LD_STATE", l.stateDir())
                + var("LD_UVX", l.uvxPath())
                + var("LD_UV_BIN", uvBin)
                + var("LD_RESTRICTED", restricted ? "1" : "0")
                + "\n# The unit this helper installs (restricted) or renders for blue-green colors: the project's\n"
                + "# templates/litellm.service.mustache for this layout; @LD_U_*@ are filled from a release's checked parameters.\n"
                + "# With an argument (a release's lock digest): the unit that runs that lock's environment.\n"
                + "unit_skeleton() {\n  if [ -n \"${1:-}\" ]; then\n    cat <<'LD_UNIT_SKELETON'\n" + UnitSkeleton.render(l, true)
                + "LD_UNIT_SKELETON\n  else\n    cat <<'LD_UNIT_SKELETON'\n" + UnitSkeleton.render(l) + "LD_UNIT_SKELETON\n  fi\n}\n"
                + BODY;
    }

    /** The helper for a deploy: sent inline, or the installed copy at {@code installedPath} (null: inline). */
    public static RemoteHelper helper(RemoteLayout l, String installedPath) {
        return installedPath == null ? new RemoteHelper(render(l, false), null) : new RemoteHelper(render(l, true), installedPath);
    }

    /** The sudoers line that lets {@code user} run exactly the installed helper as root. */
    public static String sudoers(String user, String path) {
        return user + " ALL=(root) NOPASSWD: " + path + "\n";
    }

    private static String var(String name, String value) {
        return name + "=" + Shell.quote(value) + "\n";
    }

    private static String load(String name) {
        try (InputStream in = HelperScript.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException(name + " is missing from the deployer jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
