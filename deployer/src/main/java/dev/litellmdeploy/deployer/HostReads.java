package dev.litellmdeploy.deployer;

import java.util.List;
import java.util.function.Consumer;

import dev.litellmdeploy.deployer.bundle.Bundle;
import dev.litellmdeploy.deployer.bundle.SecretMask;
import dev.litellmdeploy.deployer.probe.Readiness;
import dev.litellmdeploy.deployer.remote.ConnectionException;
import dev.litellmdeploy.deployer.remote.ExecResult;
import dev.litellmdeploy.deployer.remote.Helper;
import dev.litellmdeploy.deployer.remote.RemoteCommandException;
import dev.litellmdeploy.deployer.remote.RemoteHost;
import dev.litellmdeploy.deployer.remote.Reply;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** The read-only commands on one host, without the lock: {@code status} and {@code logs}. */
final class HostReads {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final RemoteHost host;
    private final DeploySettings settings;
    private final Helper helper;

    HostReads(RemoteHost host, DeploySettings settings) {
        this.host = host;
        this.settings = settings;
        this.helper = new Helper(host, settings.commandTimeout());
    }

    /** Current release, service state and readiness. */
    HostStatus status(HostTarget target) throws Exception {
        ExecResult r = host.call(settings.commandTimeout(), "preflight", settings.helper().expectedSha256(), "64");
        if (!r.ok() && r.stderr().contains("HELPER-MISMATCH installed=")) {
            // another helper answers: nothing more is asked of it (its replies may mean other things); that it differs is drift
            String sha = r.stderr().substring(r.stderr().indexOf("installed=") + 10).strip().split("\\s+")[0];
            return new HostStatus(target, null, null, null, "unknown (the helper differs)", 0, false, List.of(), List.of(), null, null,
                    Drift.helperMismatch(settings.sudoHelper(), sha));
        }
        if (!r.ok()) {
            throw SudoDiagnosis.of(r.stderr(), r.exitStatus(), settings, host.describe());
        }
        String raw = helper.state();
        HostState state = HostState.parse(raw, settings.layout());
        List<HostStatus.AuditEntry> history = history(raw);
        if (state.currentRelease() == null || Adoption.ID.equals(state.currentRelease())) {
            return new HostStatus(target, state.currentRelease(), null, null, state.activeState(), state.mainPid(), false, List.of(),
                    state.releases(), null, null, state.drift(), history);
        }
        BlueGreenState bg = state.blueGreen().deployed() ? state.blueGreen() : null;
        Bundle current = RemoteRelease.load(host, settings.layout(), state.currentRelease(), settings.commandTimeout());
        Readiness readiness = new Readiness(host, current.manifest().port());
        boolean ready = (bg != null ? bg.running(bg.live()) : state.active()) && readiness.ready();
        List<String> models = ready ? readiness.models(current.masterKey()) : List.of();
        String active = bg != null ? bg.active().get(bg.live()) + " (" + bg.live() + " live)" : state.activeState();
        return new HostStatus(target, state.currentRelease(), current.bundleId(), current.manifest().sourceRevision(), active,
                bg != null ? 0 : state.mainPid(), ready, models, state.releases(), null, bg, state.drift(), history,
                PythonEnvStatus.of(current, settings.layout(), state.pythonEnvs(), Reply.parse("state", raw).all("env_source")));
    }

    /** The audit lines the state read carries ({@code audit=} base64 of each JSON line); a line that does not parse is left out. */
    private static List<HostStatus.AuditEntry> history(String rawState) {
        List<HostStatus.AuditEntry> out = new java.util.ArrayList<>();
        for (String b64 : Reply.parse("state", rawState).all("audit")) {
            try {
                JsonNode line = JSON.readTree(java.util.Base64.getDecoder().decode(b64));
                out.add(new HostStatus.AuditEntry(line.path("time").asText(), line.path("release").asText(), line.path("result").asText(),
                        line.path("actor").asText()));
            } catch (IllegalArgumentException | java.io.IOException e) {
                // not one of the helper's lines: not shown
            }
        }
        return List.copyOf(out);
    }

    /** Journal lines of the service, secrets of every kept release masked; follow streams until the consumer's thread is interrupted. */
    void logs(int lines, boolean follow, Consumer<String> out) throws Exception {
        HostState state;
        try {
            state = HostState.parse(helper.state(), settings.layout());
        } catch (RemoteCommandException e) {
            // no preflight here (it would refuse a full disk, when logs matter most): a sudo problem shows on this first call
            Exception sudo = SudoDiagnosis.of(e.stderr(), e.exitStatus(), settings, host.describe());
            throw sudo instanceof ConnectionException ? sudo : e;
        }
        SecretMask current = KeptReleaseSecrets.of(host, settings.layout(), state, settings.commandTimeout());
        if (!follow) {
            for (String line : helper.logs(lines).split("\n")) {
                out.accept(current.apply(line));
            }
            return;
        }
        try (RemoteHost.RunningCommand running = helper.followLogs(lines, l -> out.accept(current.apply(l)))) {
            while (running.isOpen()) {
                Thread.sleep(200);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
