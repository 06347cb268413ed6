package dev.litellmdeploy.deployer.unit;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.github.mustachejava.DefaultMustacheFactory;

import dev.litellmdeploy.deployer.RemoteLayout;

/**
 * The project's unit template (templates/litellm.service.mustache) rendered for a layout, with
 * placeholders where each release's checked parameters go. The restricted helper carries this text
 * and fills it in itself, so the unit root installs is never a text the deploy user wrote; the
 * builder renders the same template with the same engine, so a bundle's unit is byte-identical to
 * the helper's rendering of that bundle's {@link UnitParameters}.
 */
public final class UnitSkeleton {
    static final String RESOURCE = "/litellm-deploy/templates/litellm.service.mustache";
    /** The placeholders (the helper replaces exactly these; none can occur in a checked parameter). */
    public static final String VERSION = "@LD_U_VERSION@", PYTHON = "@LD_U_PYTHON@", HOST = "@LD_U_HOST@", PORT = "@LD_U_PORT@",
            CONFIG = "@LD_U_CONFIG@", ENV_FILE = "@LD_U_ENVFILE@", ENVIRONMENT = "@LD_U_ENVIRONMENT@", UNIT = "@LD_U_UNIT@",
            LOCK = "@LD_U_LOCK@";

    private UnitSkeleton() {
    }

    /** The unlocked unit (uvx resolves LiteLLM at start). */
    public static String render(RemoteLayout layout) {
        return render(layout, false);
    }

    /** {@code locked}: the unit that runs the environment of a lock ({@link #LOCK}: its sha256) directly. */
    public static String render(RemoteLayout layout, boolean locked) {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("python_env", locked ? layout.stateDir() + "/envs/" + LOCK + "/venv" : false);
        c.put("unit_name", UNIT);
        c.put("litellm_version", VERSION);
        c.put("python_version", PYTHON);
        c.put("host", HOST);
        c.put("port", PORT);
        c.put("user", layout.serviceUser());
        c.put("home", layout.serviceHome());
        c.put("config_path", CONFIG);
        c.put("uvx", layout.uvxPath());
        c.put("env_file", ENV_FILE);
        c.put("environment_lines", List.of(ENVIRONMENT));
        DefaultMustacheFactory raw = new DefaultMustacheFactory() {
            @Override
            public void encode(String value, Writer writer) {
                try {
                    writer.write(value);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        };
        try (InputStream in = UnitSkeleton.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is missing from the deployer jar");
            }
            StringWriter out = new StringWriter();
            raw.compile(new InputStreamReader(in, StandardCharsets.UTF_8), "litellm.service.mustache").execute(out, List.<Object>of(c));
            return out.toString();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
