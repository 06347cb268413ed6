package dev.litellmdeploy.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.litellmdeploy.deployer.Wheelhouse;
import picocli.CommandLine;

/** build --wheelhouse: the unit in the bundle names the wheelhouse's final place on the server. */
class WheelhouseOptionTest {
    @TempDir
    Path work;

    private int build(StringWriter err, String... extra) throws Exception {
        Path config = work.resolve("config.yaml");
        Files.writeString(config, "model_list:\n  - model_name: m\n    litellm_params: {model: openai/x, api_key: sk-fake-key-0000}\n"
                + "general_settings:\n  master_key: sk-fake-master-key-0000\n");
        String[] args = new String[5 + extra.length];
        System.arraycopy(new String[] {"build", "--unlocked", "--config", config.toString(), "--out=" + work.resolve("bundle")}, 0, args, 0, 5);
        System.arraycopy(extra, 0, args, 5, extra.length);
        return LitellmDeployCommand.configure(new CommandLine(new LitellmDeployCommand())).setErr(new PrintWriter(err))
                .setOut(new PrintWriter(new StringWriter())).execute(args);
    }

    private Path wheelhouse(String... files) throws Exception {
        Path dir = Files.createDirectories(work.resolve("wheelhouse"));
        for (String f : files) {
            Files.writeString(dir.resolve(f), f);
        }
        return dir;
    }

    @Test
    void buildWithAWheelhouseWritesItsContentAddressedPlaceIntoTheUnit() throws Exception {
        Path dir = wheelhouse("litellm-1.80.9-py3-none-any.whl", "requirements.txt");
        StringWriter err = new StringWriter();
        assertEquals(ExitCodes.OK, build(err, "--wheelhouse", dir.toString()), err.toString());
        String unit = Files.readString(work.resolve("bundle/litellm.service"));
        assertTrue(unit.contains("Environment=\"UV_FIND_LINKS=/var/lib/litellm-deploy/wheelhouses/" + Wheelhouse.read(dir).shortDigest() + "\"\n"), unit);
        assertTrue(unit.contains("Environment=\"UV_OFFLINE=1\"\n") && unit.contains("Environment=\"UV_PYTHON_DOWNLOADS=never\"\n"), unit);
    }

    @Test
    void aWheelhouseWithAStrayFileOrAContradictingUnitEnvIsRefusedAndNothingIsWritten() throws Exception {
        Path dir = wheelhouse("litellm-1.80.9-py3-none-any.whl", "postinstall.sh");
        StringWriter err = new StringWriter();
        assertFalse(build(err, "--wheelhouse", dir.toString()) == ExitCodes.OK);
        assertTrue(err.toString().contains("postinstall.sh"), err.toString());
        Files.delete(dir.resolve("postinstall.sh"));
        StringWriter err2 = new StringWriter();
        assertFalse(build(err2, "--wheelhouse", dir.toString(), "--unit-env", "UV_FIND_LINKS=/srv/elsewhere") == ExitCodes.OK);
        assertTrue(err2.toString().contains("contradicts --wheelhouse"), err2.toString());
        assertFalse(Files.exists(work.resolve("bundle/litellm.service")));
    }

    @Test
    void aWheelhouseReleaseReadsLitellmsBundledCostMapUnlessUnitEnvSaysOtherwise() throws Exception {
        Path dir = wheelhouse("litellm-1.80.9-py3-none-any.whl", "requirements.txt");
        StringWriter err = new StringWriter();
        assertEquals(ExitCodes.OK, build(err, "--wheelhouse", dir.toString()), err.toString());
        assertTrue(Files.readString(work.resolve("bundle/litellm.service")).contains("Environment=\"LITELLM_LOCAL_MODEL_COST_MAP=True\"\n"));
        assertEquals(ExitCodes.OK, build(err, "--wheelhouse", dir.toString(), "--unit-env", "LITELLM_LOCAL_MODEL_COST_MAP="), err.toString());
        String unit = Files.readString(work.resolve("bundle/litellm.service"));
        assertTrue(unit.contains("Environment=\"LITELLM_LOCAL_MODEL_COST_MAP=\"\n") && !unit.contains("COST_MAP=True"), unit);
    }
}
