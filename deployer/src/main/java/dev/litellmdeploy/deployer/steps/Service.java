package dev.litellmdeploy.deployer.steps;

import java.util.ArrayList;
import java.util.List;

import dev.litellmdeploy.deployer.remote.Helper;
import dev.litellmdeploy.deployer.run.Session;

/** The steps that change or prove what serves in restart mode: install, restart, the readiness checks, and the commit. */
public final class Service {
    private Service() {
    }

    /** The release's files into place (all staged, then renamed), then daemon-reload and enable when the plan needs them. */
    public record Install(String release, List<String> files, boolean daemonReload, boolean enable, Undo undo) implements Step {
        public String name() {
            return "install";
        }

        public String args() {
            return release + " " + String.join(" ", did());
        }

        public Phase phase() {
            return Phase.CHANGE;
        }

        /** @throws Helper.NothingChanged when the helper wrote nothing (the undo is then not needed) */
        public String run(Session s) throws Exception {
            s.helper().install(release, daemonReload, enable);
            return String.join(", ", did());
        }

        private List<String> did() {
            List<String> a = new ArrayList<>(files);
            if (daemonReload) {
                a.add("daemon-reload");
            }
            if (enable) {
                a.add("enable");
            }
            return a;
        }
    }

    /** A kept release's files into place, daemon-reload, restart (a rollback in restart mode). */
    public record SwitchRelease(String release, Undo undo) implements Step {
        public boolean startsTheService() {
            return true;
        }

        public String name() {
            return "install";
        }

        public String args() {
            return release + " daemon-reload restart";
        }

        public Phase phase() {
            return Phase.CHANGE;
        }

        public String run(Session s) throws Exception {
            return Undoing.Reinstall.switchTo(s, release) + ", restarted";
        }
    }

    /**
     * Drift repaired before the release's own steps: every drop-in of the managed units moved aside into the release's folder
     * (drift-aside/TIME/, nothing is lost), the blue-green colors named get their files again from their recorded releases
     * (nothing restarts; the strategy's install or start then puts the release's files in place), daemon-reload.
     *
     * @param release  the release whose folder keeps what was moved aside
     * @param colors   blue-green colors to reinstall from their recorded releases (empty: none)
     * @param repairs  what it repairs, for the plan (the drift's findings, briefly)
     */
    public record RepairDrift(String release, List<String> colors, String repairs, Undo undo) implements Step {
        public String name() {
            return "repair-drift";
        }

        public String args() {
            return release + " " + repairs + (colors.isEmpty() ? "" : " (reinstall " + String.join(", ", colors) + ")");
        }

        public Phase phase() {
            return Phase.CHANGE;
        }

        public String run(Session s) throws Exception {
            dev.litellmdeploy.deployer.remote.Reply r = s.helper().repairDrift(release, colors);
            List<String> said = new ArrayList<>();
            List<String> moved = r.all("moved");
            if (!moved.isEmpty()) {
                String to = moved.get(0).substring(moved.get(0).indexOf(' ') + 1);
                said.add(moved.size() + " drop-in(s) moved aside to " + to.substring(0, Math.max(0, to.lastIndexOf('/'))));
            }
            r.all("reinstalled").forEach(c -> said.add("reinstalled " + c));
            return said.isEmpty() ? "nothing to move aside" : String.join("; ", said);
        }
    }

    public record Restart(String reason, Undo undo) implements Step {
        public boolean startsTheService() {
            return true;
        }

        public String name() {
            return "restart";
        }

        public String args() {
            return reason;
        }

        public Phase phase() {
            return Phase.CHANGE;
        }

        public String run(Session s) throws Exception {
            s.started(null, s.helper().restart());
            return reason;
        }
    }

    /**
     * Liveliness and readiness of the service on the port, watching the unit last started ({@code color} null) or the
     * named color (a no-op deploy of a blue-green host, which started nothing).
     */
    public record WaitReady(String name, int port, String color) implements Step {
        public WaitReady(int port) {
            this("wait-ready", port, null);
        }

        public String args() {
            return "127.0.0.1:" + port;
        }

        public Phase phase() {
            return name.equals("wait-ready") ? Phase.CHANGE : Phase.UNDO;
        }

        public String run(Session s) throws Exception {
            if (color != null) {
                s.started(color, s.lastStart());
            }
            return s.probe(port).waitReady();
        }
    }

    public record VerifyModels(int port) implements Step {
        public String name() {
            return "verify-models";
        }

        public String args() {
            return "127.0.0.1:" + port;
        }

        public Phase phase() {
            return Phase.CHANGE;
        }

        public String run(Session s) throws Exception {
            return s.probe(port).verifyModels();
        }
    }

    /** One chat completion per model through the proxy on this port (opt-in: --smoke), before the release counts as good. */
    public record Smoke(int port, java.util.List<String> models) implements Step {
        public Smoke {
            models = java.util.List.copyOf(models);
        }

        public String name() {
            return "smoke";
        }

        public String args() {
            return "127.0.0.1:" + port + " " + String.join(",", models);
        }

        public Phase phase() {
            return Phase.CHANGE;
        }

        public String run(Session s) throws Exception {
            return s.probe(port).smoke(models);
        }
    }

    /** The new process stays up for the settle time. */
    public record Settle(long millis) implements Step {
        public String name() {
            return "settle";
        }

        public String args() {
            return millis + " ms";
        }

        public Phase phase() {
            return Phase.CHANGE;
        }

        public String run(Session s) throws Exception {
            return dev.litellmdeploy.deployer.probe.Probe.settle(s);
        }
    }

    /** The commit: the release becomes current in the host's history (and its audit line is written). */
    public record Record(String release, String result, Undo undo) implements Step {
        public String name() {
            return "record";
        }

        public String args() {
            return release;
        }

        public Phase phase() {
            return Phase.COMMIT;
        }

        public String run(Session s) throws Exception {
            s.helper().record(release, s.settings().keepReleases(), result, s.settings().actor());
            return release;
        }
    }

    /** A no-op deploy changes nothing; its audit line says so. */
    public record RecordNoop(String release) implements Step {
        public String name() {
            return "record";
        }

        public String args() {
            return "audit only";
        }

        public Phase phase() {
            return Phase.COMMIT;
        }

        public String run(Session s) throws Exception {
            s.helper().audit("noop", release, s.settings().actor());
            return "nothing changed; nothing restarted";
        }
    }
}
