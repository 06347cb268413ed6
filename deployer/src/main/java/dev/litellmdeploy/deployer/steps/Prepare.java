package dev.litellmdeploy.deployer.steps;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.litellmdeploy.deployer.UvSource;
import dev.litellmdeploy.deployer.WheelhouseUpload;
import dev.litellmdeploy.deployer.bundle.Bundle;
import dev.litellmdeploy.deployer.run.Session;
import dev.litellmdeploy.deployer.unit.UnitParameters;

/** The steps before anything the running service uses changes: a failure here leaves the service as it was. */
public final class Prepare {
    private Prepare() {
    }

    /** Saves a unit litellm-deploy did not make as release 0-adopted (and records it current); the service keeps running. */
    public record Adopt() implements Step {
        public String name() {
            return "adopt";
        }

        public Phase phase() {
            return Phase.PREPARE;
        }

        public String run(Session s) throws Exception {
            try {
                return s.helper().adopt().strip();
            } catch (dev.litellmdeploy.deployer.remote.RemoteCommandException e) {
                String why = e.stderr().isBlank() ? String.valueOf(e.getMessage()) : e.stderr().strip();
                throw new dev.litellmdeploy.deployer.DeployFailedException("cannot adopt the existing " + s.settings().layout().unitName()
                        + " on " + s.target() + ": " + why, e);
            }
        }
    }

    /** The bundle's files over SFTP into the staging folder, then the helper copies, checks and commits them as a release. */
    public record Upload(String release) implements Step {
        public String name() {
            return "upload";
        }

        public String args() {
            return release;
        }

        public Phase phase() {
            return Phase.PREPARE;
        }

        public Undo undo() {
            // marked bad only when it failed its own proof; after a deploy-time failure it is only unproven (MarkFailed asks the session)
            return new Undo(Undo.Restores.BOOKKEEPING, new Undoing.MarkFailed(release), "");
        }

        public String run(Session s) throws Exception {
            Bundle bundle = s.bundle();
            String staging = s.host().stagingDir() + "/" + release;
            StringBuilder checksums = new StringBuilder();
            Map<String, byte[]> files = new LinkedHashMap<>(bundle.files());
            files.put(Bundle.MANIFEST, bundle.manifestBytes());
            Map<String, byte[]> remote = new LinkedHashMap<>();
            for (Map.Entry<String, byte[]> f : files.entrySet()) {
                remote.put(staging + "/" + f.getKey(), f.getValue());
                checksums.append(Bundle.sha256(f.getValue())).append("  ").append(f.getKey()).append('\n');
            }
            s.host().upload(remote);
            s.helper().commit(release, bundle.bundleId(), checksums.toString(), UnitParameters.text(UnitParameters.of(bundle)));
            return files.size() + " files -> " + s.settings().layout().release(release);
        }
    }

    /** The wheelhouse the bundle's unit installs from, to a host that lacks it. */
    public record Wheelhouse() implements Step {
        public String name() {
            return WheelhouseUpload.STEP;
        }

        public Phase phase() {
            return Phase.PREPARE;
        }

        public String run(Session s) throws Exception {
            return WheelhouseUpload.run(s.host(), s.bundle(), s.settings(), s.state());
        }
    }

    /**
     * The Python environment of the release's requirements.lock, built beside the running one (a new directory; the running unit
     * names another): from the wheelhouse the unit names, or the index. Undone by removing it, unless something else needs it.
     */
    public record PythonEnv(String release, String lockSha256, String source) implements Step {
        public String name() {
            return dev.litellmdeploy.deployer.PythonEnv.STEP;
        }

        public String args() {
            return lockSha256.substring(0, 12) + " for " + release + ", " + source;
        }

        public Phase phase() {
            return Phase.PREPARE;
        }

        public Undo undo() {
            return new Undo(Undo.Restores.BOOKKEEPING, new Undoing.DropEnv(lockSha256, release), "");
        }

        public String run(Session s) throws Exception {
            dev.litellmdeploy.deployer.PythonSource from = s.settings().python();
            String out = from.isDefault() || dev.litellmdeploy.deployer.Wheelhouse.namedBy(s.bundle(), s.settings().layout()) != null
                    ? s.helper().envBuild(release, lockSha256) // the default index, or offline from the wheelhouse the unit names
                    : s.helper().envBuild(release, lockSha256, url(from.index()), url(from.mirror()), from.netrc());
            return out.strip().lines().reduce((a, b) -> b).orElse("");
        }

        private static String url(dev.litellmdeploy.deployer.PythonSource.Location l) {
            return l == null ? "" : l.url();
        }
    }

    /** uv, from the archive given (uploaded, digest checked) or the installer URL. */
    public record EnsureUv(String source) implements Step {
        public String name() {
            return "ensure-uv";
        }

        public String args() {
            return source;
        }

        public Phase phase() {
            return Phase.PREPARE;
        }

        public String run(Session s) throws Exception {
            UvSource uv = s.settings().uv();
            String out;
            if (uv.localFile() != null) {
                String remote = s.host().stagingDir() + "/" + uv.localFile().getFileName();
                byte[] archive = Files.readAllBytes(uv.localFile());
                try (InputStream in = new ByteArrayInputStream(archive)) {
                    s.host().upload(in, remote);
                }
                out = s.helper().installUv(uv.localFile().getFileName().toString(), Bundle.sha256(archive));
            } else {
                out = s.helper().installUvUrl(uv.installerUrl());
            }
            String[] lines = out.strip().split("\n");
            return lines[lines.length - 1] + ", " + uv.describe();
        }
    }

    public record EnsureUser(String user) implements Step {
        public String name() {
            return "ensure-user";
        }

        public String args() {
            return user;
        }

        public Phase phase() {
            return Phase.PREPARE;
        }

        public String run(Session s) throws Exception {
            return s.helper().ensureUser().strip();
        }
    }

    /** nginx for blue-green: from uploaded .deb files, or the host's package mirror. */
    public record EnsureProxy() implements Step {
        public String name() {
            return "ensure-proxy";
        }

        public Phase phase() {
            return Phase.PREPARE;
        }

        public String run(Session s) throws Exception {
            List<String> names = new ArrayList<>();
            for (Path p : s.settings().blueGreen().proxyPackages()) {
                try (InputStream in = Files.newInputStream(p)) {
                    s.host().upload(in, s.host().stagingDir() + "/" + p.getFileName());
                }
                names.add(p.getFileName().toString());
            }
            String out = s.helper().ensureProxy(names);
            return out.strip().lines().reduce((a, b) -> b).orElse("") + (names.isEmpty() ? " (from the package mirror)" : " (uploaded packages)");
        }
    }
}
