package dev.litellmdeploy.deployer.unit;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.litellmdeploy.deployer.bundle.Bundle;

/**
 * What varies between releases in the project's unit, sent to the helper with each upload
 * ({@code KEY=value} lines): the helper checks each value and renders the unit from them. Read here
 * from the bundle's own unit; a unit that is not the project's (a custom template) gives
 * {@link #NONE}, which the restricted helper refuses and full sudo installs as it is.
 */
public record UnitParameters(String litellmVersion, String pythonVersion, String host, int port, boolean envFile, List<String> environment,
        String lock) {
    public static final UnitParameters NONE = null;
    private static final Pattern EXEC = Pattern.compile("(?m)^ExecStart=\\S+ --python (\\S+) --with 'litellm\\[proxy\\]==(\\S+)' litellm==\\2"
            + " --config \\S+ --host (\\S+) --port (\\d+)$");
    /** The locked unit: the comment line names the versions, ExecStart the environment of the lock (its sha256). */
    private static final Pattern LOCKED = Pattern.compile("(?m)^# LiteLLM (\\S+) on Python (\\S+), from the hash-pinned environment of the release's"
            + " requirements.lock\n(?:#.*\n)*ExecStart=\\S+/envs/([0-9a-f]{64})/venv/bin/litellm --config \\S+ --host (\\S+) --port (\\d+)$");
    private static final Pattern ENV_LINE = Pattern.compile("(?m)^Environment=\"([A-Za-z_][A-Za-z0-9_]*=[^\"\\\\%]*)\"$");

    /** The parameters of a bundle's unit, or null when it is not the project's unit. */
    public static UnitParameters of(Bundle bundle) {
        String unit = new String(bundle.files().get(Bundle.UNIT), StandardCharsets.UTF_8);
        Matcher m = EXEC.matcher(unit);
        String lock = null;
        if (!m.find()) {
            m = LOCKED.matcher(unit);
            if (!m.find()) {
                return NONE;
            }
            lock = m.group(3);
        }
        List<String> env = new ArrayList<>();
        Matcher e = ENV_LINE.matcher(unit);
        while (e.find()) {
            env.add(e.group(1));
        }
        return lock == null
                ? new UnitParameters(m.group(2), m.group(1), m.group(3), Integer.parseInt(m.group(4)), unit.contains("\nEnvironmentFile="),
                        List.copyOf(env), null)
                : new UnitParameters(m.group(1), m.group(2), m.group(4), Integer.parseInt(m.group(5)), unit.contains("\nEnvironmentFile="),
                        List.copyOf(env), lock);
    }

    /** The text the helper's commit verb takes (empty for {@link #NONE}). */
    public static String text(UnitParameters p) {
        if (p == null) {
            return "";
        }
        StringBuilder s = new StringBuilder().append("litellm_version=").append(p.litellmVersion).append('\n').append("python_version=")
                .append(p.pythonVersion).append('\n').append("host=").append(p.host).append('\n').append("port=").append(p.port).append('\n')
                .append("env_file=").append(p.envFile ? "yes" : "no").append('\n');
        p.environment.forEach(e -> s.append("env=").append(e).append('\n'));
        if (p.lock != null) {
            s.append("lock=").append(p.lock).append('\n');
        }
        return s.toString();
    }
}
