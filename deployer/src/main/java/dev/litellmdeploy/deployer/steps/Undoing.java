package dev.litellmdeploy.deployer.steps;

import dev.litellmdeploy.deployer.remote.Helper;
import dev.litellmdeploy.deployer.run.Session;

/** The steps undos are made of: each puts back one thing a deploy changed. */
public final class Undoing {
    private Undoing() {
    }

    /**
     * The failed release is flagged on the host (never a rollback target; the state read lists it apart): as a bad release when
     * it failed its own proof, as unproven when a deploy-time problem stopped it.
     */
    public record MarkFailed(String release) implements Step {
        public String name() {
            return "mark-failed";
        }

        public String args() {
            return release;
        }

        public Phase phase() {
            return Phase.UNDO;
        }

        public String run(Session s) throws Exception {
            s.helper().markFailed(release, s.releaseAtFault());
            return release + (s.releaseAtFault() ? " marked failed" : " left unproven (the deploy failed, not the release)");
        }
    }

    /** The environment a failed deploy built goes again (the helper keeps it when another kept release or a unit names it). */
    public record DropEnv(String lockSha256, String release) implements Step {
        public String name() {
            return "drop-python-env";
        }

        public String args() {
            return lockSha256.substring(0, 12);
        }

        public Phase phase() {
            return Phase.UNDO;
        }

        public String run(Session s) throws Exception {
            return s.helper().envDrop(lockSha256, release).strip();
        }
    }

    /** The previous release's files back into place, daemon-reload, restart. */
    public record Reinstall(String release) implements Step {
        public String name() {
            return "rollback";
        }

        public String args() {
            return release;
        }

        public Phase phase() {
            return Phase.UNDO;
        }

        public String run(Session s) throws Exception {
            return "re" + switchTo(s, release);
        }

        /** The helper's switch (files, daemon-reload, enable, restart); readiness then watches the single service from now. */
        static String switchTo(Session s, String release) throws Exception {
            long since = s.helper().now() - 1;
            s.helper().switchTo(release);
            s.started(null, new Helper.Started(-1, since));
            return "installed " + release;
        }
    }

    /** A failed first deploy: nothing ran before, so the failed service stops and is disabled. */
    public record StopService() implements Step {
        public String name() {
            return "stop";
        }

        public Phase phase() {
            return Phase.UNDO;
        }

        public String run(Session s) throws Exception {
            s.helper().stop();
            return "nothing to roll back to; service stopped";
        }
    }

    /** The setup found before litellm-deploy (release 0-adopted) back byte for byte, proven ready if it ran. */
    public record RestoreAdopted(Phase phase) implements Step {
        public String name() {
            return "restore-adopted";
        }

        public String run(Session s) throws Exception {
            long since = s.helper().now() - 1;
            var out = s.helper().restoreAdopted();
            if (!"yes".equals(out.get("was_active", "no"))) {
                String active = out.get("active", "inactive");
                return "it was " + out.get("enabled", "not enabled") + " and " + active + " before, and is left "
                        + ("inactive".equals(active) ? "so." : "stopped.");
            }
            int port;
            try {
                port = Integer.parseInt(out.get("port", "4000"));
            } catch (NumberFormatException e) {
                port = 4000;
            }
            s.started(null, new Helper.Started(-1, since));
            s.probe(port > 0 && port < 65536 ? port : 4000).waitReady();
            return "it is running and ready.";
        }
    }

    /** A color that never received traffic stops now. */
    public record StopColor(String color) implements Step {
        public String name() {
            return "stop-" + color;
        }

        public Phase phase() {
            return Phase.UNDO;
        }

        public String run(Session s) throws Exception {
            s.helper().bgRetire(color, 0);
            return color + " stopped";
        }
    }

    /** nginx back to the color that served before (still running: it retires only after the commit). */
    public record SwitchBack(String color) implements Step {
        public String name() {
            return "switch-back";
        }

        public String args() {
            return color;
        }

        public Phase phase() {
            return Phase.UNDO;
        }

        public String run(Session s) throws Exception {
            s.helper().bgSwitch(color);
            return "public port -> " + color;
        }
    }

    /** The history back to the release that was current (a record that failed may have moved it). */
    public record RecordBack(String release) implements Step {
        public String name() {
            return "record-back";
        }

        public String args() {
            return release;
        }

        public Phase phase() {
            return Phase.UNDO;
        }

        public String run(Session s) throws Exception {
            s.helper().record(release, s.settings().keepReleases(), "restored after a failed deploy", s.settings().actor());
            return release + " is current again";
        }
    }
}
