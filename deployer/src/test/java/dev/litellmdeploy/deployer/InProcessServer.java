package dev.litellmdeploy.deployer;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.litellmdeploy.deployer.bundle.Bundle;

/**
 * What {@link InProcessHost} models of a server, and its root helper's verbs: releases, {@code current}, the history,
 * FAILED marks, the single service and the blue and green colors (active, enabled, NRestarts, MainPID, the release each
 * runs), the live color and the proxy site, nginx, uv, the service user, the audit log. Each verb checks its arguments
 * and answers in helper-*.sh's exact formats ({@code state}'s lines, {@code restarts=}/{@code since=}, systemctl's
 * properties, {@code drained=}...). Not modelled: adoption, wheelhouses, the restricted helper's unit rendering, time
 * (retire timers do not fire). Not thread-safe: {@link InProcessHost} holds its lock around every use. About 650 lines
 * because it mirrors helper-body.sh and helper-blue-green.sh verb for verb, which is easier to check side by side than
 * split.
 */
final class InProcessServer {
    private static final Pattern RELEASE_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");
    private static final Pattern CLAIM = Pattern.compile("[A-Za-z0-9 @._:;()/+,=-]{0,160}");
    static final Pattern NUMBER = Pattern.compile("[0-9]{1,12}");
    private static final Pattern CHECKSUM = Pattern.compile("([0-9a-f]{64})  ([A-Za-z0-9][A-Za-z0-9._-]*)");
    private static final List<String> COLORS = List.of("blue", "green");

    /** One release directory. */
    static final class Release {
        final String id;
        final Map<String, byte[]> files;
        final String bundleId;
        boolean failed;
        /** Taken out of the rollback targets after a deploy-time failure (not the release's fault). */
        boolean unproven;
        private Bundle bundle;

        Release(String id, Map<String, byte[]> files, String bundleId) {
            this.id = id;
            this.files = files;
            this.bundleId = bundleId;
        }

        synchronized Bundle bundle() {
            try {
                if (bundle == null) {
                    Map<String, byte[]> rest = new TreeMap<>(files);
                    bundle = Bundle.fromFiles("in-process:" + id, rest.remove(Bundle.MANIFEST), rest);
                }
                return bundle;
            } catch (Exception e) {
                throw new IllegalStateException("release " + id + " is not a bundle: " + e.getMessage(), e);
            }
        }

        int port() {
            return bundle().manifest().port();
        }
    }

    /** A systemd unit: the single service or a color. */
    static final class Unit {
        final String name;
        boolean exists;
        boolean enabled;
        String active = "inactive";
        String sub = "dead";
        long restarts;
        long pid;
        Release installed;
        Release running;
        String colorRelease;
        int colorPort;
        boolean retiring;
        final List<Object[]> journal = new ArrayList<>();

        Unit(String name) {
            this.name = name;
        }

        boolean up() {
            return "active".equals(active) && running != null;
        }

        boolean looping() {
            return "auto-restart".equals(sub);
        }
    }

    /** The proxy site the helper wrote: the color and port it sends to, the public port it listens on. */
    record Site(String color, int upstream, int listen) {
    }

    /** A verb's failure: the exit status and what the helper wrote to stderr ({@code fail CODE MSG}). */
    static final class Fail extends Exception {
        final int code;

        Fail(int code, String message) {
            super(message);
            this.code = code;
        }
    }

    final RemoteLayout layout = RemoteLayout.defaults();
    private final Map<String, Release> releases = new TreeMap<>();
    private final List<String> history = new ArrayList<>();
    private final List<String> audit = new ArrayList<>();
    final Map<String, byte[]> staging = new HashMap<>();
    private final Map<String, byte[]> etc = new HashMap<>();
    private final Unit single = new Unit("litellm.service");
    private final Map<String, Unit> colors = Map.of("blue", new Unit("litellm-blue.service"), "green", new Unit("litellm-green.service"));
    private String current;
    private boolean user;
    private String uv;
    private boolean nginx;
    private boolean nginxRunning;
    private boolean blueGreenDir;
    private String live;
    private Site site;
    Integer staleUpstream;
    private long pids = 4000;
    final Set<String> neverReady = new HashSet<>();
    final Set<String> crashLoops = new HashSet<>();
    /** What env-build was given for each environment: the index and mirror URLs, and whether netrc lines came with them. */
    final Map<String, String> envSources = new java.util.HashMap<>();
    /** The complete Python environments (lock digests), as env-build leaves them. */
    final Set<String> envs = new TreeSet<>();

    // ---- what a test reads (through InProcessHost, which holds the lock) ----

    String current() {
        return current;
    }

    List<String> audit() {
        return List.copyOf(audit);
    }

    String lastAudit() {
        return audit.isEmpty() ? "" : audit.get(audit.size() - 1);
    }

    boolean markedFailed(String release) {
        return releases.containsKey(release) && releases.get(release).failed;
    }

    boolean unproven(String release) {
        return releases.containsKey(release) && releases.get(release).unproven;
    }

    String live() {
        return live;
    }

    /** "release active enabled" of the single service (color null) or a color, e.g. "r1 active enabled", "- inactive disabled". */
    String unit(String color) {
        Unit u = color == null ? single : colors.get(color);
        return (u.running == null ? "-" : u.running.id) + " " + u.active + " " + (u.enabled ? "enabled" : "disabled");
    }

    long pid(String color) {
        return (color == null ? single : colors.get(color)).pid;
    }

    /** The release whose files are installed for the single service (config.yaml, litellm.service), or null. */
    String installed() {
        return single.installed == null ? null : single.installed.id;
    }

    /** The release that answers on a port of the host's loopback (through the proxy on the public port), or null. */
    Release servingOn(int port) {
        if (site != null && nginxRunning && port == site.listen()) {
            return listening(staleUpstream != null ? staleUpstream : site.upstream());
        }
        return listening(port);
    }

    boolean ready(Release r) {
        return !neverReady.contains(r.bundleId);
    }

    private Release listening(int port) {
        if (single.up() && single.running.port() == port && !(site != null && nginxRunning && port == site.listen())) {
            return single.running;
        }
        for (Unit c : colors.values()) {
            if (c.up() && c.colorPort == port) {
                return c.running;
            }
        }
        return null;
    }

    /** One helper verb, as helper-*.sh runs it: the reply on {@code out}, a {@code fail CODE MSG} as {@link Fail}. */
    void run(String verb, String[] a, StringBuilder out) throws Fail {
        switch (verb) {
            case "preflight" -> {
                number(args(a, 2, "preflight EXPECTED_SHA NEED_KIB")[1], "space needed");
                out.append("free_kib=52428800\n");
            }
            case "state" -> state(out);
            case "commit" -> commit(args(a, 4, "commit RELEASE BUNDLE_ID CHECKSUMS UNIT_PARAMS"));
            case "ensure-user" -> user = true;
            case "install" -> install(a);
            case "restart" -> start(single, single.installed, out);
            case "switch" -> {
                Release r = existing(args(a, 1, "switch RELEASE")[0]);
                installFiles(r);
                single.enabled = true;
                start(single, r, null);
            }
            case "stop" -> {
                stop(single);
                single.enabled = false;
            }
            case "show" -> show(single, out);
            case "probe" -> probe(a, out);
            case "now" -> out.append("now=").append(now()).append('\n');
            case "journal" -> journal(single, args(a, 2, "journal SINCE LINES"), 0, out);
            case "logs" -> single.journal.forEach(l -> out.append(Instant.ofEpochSecond((Long) l[0])).append(' ').append("host")
                    .append(" litellm: ").append(l[1]).append('\n'));
            case "mark-failed" -> {
                String[] m = args(a, 2, "mark-failed RELEASE CAUSE");
                String id = releaseId(m[0]);
                if (!m[1].equals("release") && !m[1].equals("deploy")) {
                    throw new Fail(3, "the cause must be release or deploy, not '" + m[1] + "'");
                }
                if (releases.containsKey(id)) {
                    if (m[1].equals("release")) {
                        releases.get(id).failed = true;
                    } else {
                        releases.get(id).unproven = true;
                    }
                }
            }
            case "audit" -> audit(args(a, 3, "audit RESULT RELEASE ACTOR"));
            case "record" -> record(args(a, 4, "record RELEASE KEEP RESULT ACTOR"));
            case "read-release" -> readRelease(args(a, 1, "read-release RELEASE")[0], out);
            case "install-uv" -> installUv(args(a, 2, "install-uv FILE_NAME SHA256"), out);
            case "install-uv-url" -> {
                if (!args(a, 1, "install-uv-url URL")[0].matches("https://[A-Za-z0-9./_:%~+-]+")) {
                    throw new Fail(5, "not an https URL: " + a[0]);
                }
                uv = "0.9.17";
                out.append("uvx 0.9.17\n");
            }
            case "ensure-proxy" -> {
                nginx = true;
                out.append("nginx version: nginx/1.22.1\n");
            }
            case "bg-start" -> bgStart(args(a, 3, "bg-start RELEASE COLOR PORT"), out);
            case "bg-switch" -> bgSwitch(color(args(a, 1, "bg-switch COLOR")[0]));
            case "bg-drain" -> {
                colorPort(color(args(a, 2, "bg-drain COLOR TIMEOUT")[0]));
                number(a[1], "timeout");
                out.append("drained=yes\n");
            }
            case "bg-wait-stopped" -> {
                number(args(a, 1, "bg-wait-stopped TIMEOUT")[0], "timeout");
                boolean wasUp = single.up();
                stop(single);
                out.append(wasUp ? "stopped=killed\n" : "stopped=yes\n");
            }
            case "bg-retire" -> {
                Unit c = colors.get(color(args(a, 2, "bg-retire COLOR GRACE")[0]));
                c.retiring = !"0".equals(number(a[1], "grace"));
                if (!c.retiring) {
                    stop(c);
                }
            }
            case "bg-leave" -> bgLeave();
            case "bg-show" -> show(colors.get(color(args(a, 1, "bg-show COLOR")[0])), out);
            case "bg-journal" -> journal(colors.get(color(args(a, 3, "bg-journal COLOR SINCE LINES")[0])), a, 1, out);
            case "env-build" -> envBuild(a.length == 5 ? a : args(a, 2, "env-build RELEASE LOCK_SHA256 [INDEX MIRROR NETRC]"), out);
            case "env-drop" -> {
                String[] e = args(a, 2, "env-drop LOCK_SHA256 RELEASE");
                if (!envNamed(e[0], e[1])) {
                    envs.remove(e[0]);
                }
            }
            case "version" -> out.append("1\n");
            default -> throw new Fail(2, "the in-process host does not model the helper verb '" + verb + "'");
        }
    }

    /** The {@code state} verb (also the lock's state part). */
    void state(StringBuilder out) {
        line(out, "protocol", Integer.toString(dev.litellmdeploy.deployer.remote.Helper.PROTOCOL));
        line(out, "current", current == null ? "" : current);
        Release cur = current == null ? null : releases.get(current);
        if (cur != null) {
            line(out, "bundle", cur.bundleId);
            if (cur.files.containsKey(Bundle.REDACTED_CONFIG)) {
                line(out, "redacted", Base64.getEncoder().encodeToString(cur.files.get(Bundle.REDACTED_CONFIG)));
            }
        }
        for (String r : historyOrder()) {
            if (!releases.get(r).failed && !releases.get(r).unproven) {
                line(out, "release", r);
            }
        }
        line(out, "active", single.active);
        line(out, "pid", Long.toString(single.pid));
        line(out, "enabled", single.exists ? (single.enabled ? "enabled" : "disabled") : "");
        for (String path : List.of(layout.configPath(), layout.envPath(), layout.unitPath())) {
            if (etc.containsKey(path)) {
                line(out, "digest", Bundle.sha256(etc.get(path)) + "  " + path);
            }
        }
        line(out, "uv", uv == null ? "" : uv);
        line(out, "user", user ? "yes" : "no");
        line(out, "wheelhouses", "");
        line(out, "envs", String.join(" ", envs));
        line(out, "bg_live", live == null ? "" : live);
        if (blueGreenDir) {
            for (String c : COLORS) {
                Unit u = colors.get(c);
                line(out, "bg_" + c + "_release", u.colorRelease == null ? "" : u.colorRelease);
                line(out, "bg_" + c + "_active", u.active);
                line(out, "bg_" + c + "_retiring", u.retiring ? "active" : "inactive");
            }
        }
        Release liveRelease = live == null ? null : releases.get(colors.get(live).colorRelease);
        if (liveRelease != null) {
            line(out, "bg_live_bundle", liveRelease.bundleId);
            for (String f : List.of(Bundle.CONFIG, Bundle.ENV_FILE, Bundle.UNIT)) {
                if (liveRelease.files.containsKey(f)) {
                    line(out, "bg_digest", Bundle.sha256(liveRelease.files.get(f)) + "  " + f);
                }
            }
        }
        line(out, "bg_proxy", site == null ? "missing" : "ok");
        line(out, "bg_nginx", nginx ? "yes" : "no");
    }

    private static void line(StringBuilder out, String key, String value) {
        out.append(key).append('=').append(value).append('\n');
    }

    private void commit(String[] a) throws Fail {
        String id = releaseId(a[0]);
        String bundleId = releaseId(a[1]);
        Map<String, byte[]> files = new TreeMap<>();
        List<String> names = new ArrayList<>();
        Map<String, String> sums = new LinkedHashMap<>();
        for (String l : a[2].split("\n")) {
            if (l.isEmpty()) {
                continue;
            }
            Matcher m = CHECKSUM.matcher(l);
            if (!m.matches()) {
                throw new Fail(3, "not a checksum line: '" + l + "'");
            }
            if (Set.of("bundle-id", "unit.params", "FAILED").contains(m.group(2))) {
                throw new Fail(3, m.group(2) + " is not a bundle file");
            }
            names.add(m.group(2));
            sums.put(m.group(2), m.group(1));
        }
        if (names.isEmpty()) {
            throw new Fail(3, "no files to commit");
        }
        String src = InProcessHost.STATE + "/staging/" + InProcessHost.LOGIN_USER + "/" + id;
        for (String n : names) {
            byte[] bytes = staging.get(src + "/" + n);
            if (bytes == null) {
                throw new Fail(4, "the upload lacks " + n + " (or it is not readable by " + InProcessHost.LOGIN_USER + ")");
            }
            if (!Bundle.sha256(bytes).equals(sums.get(n))) {
                throw new Fail(4, "an uploaded file does not match the bundle's digest");
            }
            files.put(n, bytes);
        }
        for (String p : a[3].split("\n")) {
            String k = p.contains("=") ? p.substring(0, p.indexOf('=')) : p;
            if (!p.isEmpty() && !Set.of("litellm_version", "python_version", "host", "port", "env_file", "env", "lock").contains(k)) {
                throw new Fail(3, "unknown unit parameter '" + k + "'");
            }
        }
        if (!a[3].isEmpty()) {
            files.put("unit.params", a[3].getBytes(StandardCharsets.UTF_8));
        }
        files.put("bundle-id", (bundleId + "\n").getBytes(StandardCharsets.UTF_8));
        releases.put(id, new Release(id, files, bundleId));
        staging.keySet().removeIf(k -> k.startsWith(InProcessHost.STATE + "/staging/" + InProcessHost.LOGIN_USER + "/"));
    }

    private void install(String[] a) throws Fail {
        if (a.length < 1) {
            throw new Fail(2, "usage: install RELEASE [daemon-reload] [enable]");
        }
        Release r = releases.get(releaseId(a[0]));
        user = true;
        if (r == null || !r.files.containsKey(Bundle.CONFIG) || !r.files.containsKey(Bundle.UNIT)) {
            throw new Fail(3, "release " + a[0] + " is incomplete");
        }
        installFiles(r);
        for (int i = 1; i < a.length; i++) {
            switch (a[i]) {
                case "daemon-reload" -> { }
                case "enable" -> single.enabled = true;
                default -> throw new Fail(3, "unknown install step '" + a[i] + "'");
            }
        }
    }

    private void installFiles(Release r) {
        etc.put(layout.configPath(), r.files.get(Bundle.CONFIG));
        if (r.files.containsKey(Bundle.ENV_FILE)) {
            etc.put(layout.envPath(), r.files.get(Bundle.ENV_FILE));
        } else {
            etc.remove(layout.envPath());
        }
        etc.put(layout.unitPath(), r.files.get(Bundle.UNIT));
        single.installed = r;
        single.exists = true;
    }

    /** restart and bg-start: the baseline and the clock (when {@code out} is given), then a fresh start of what is installed. */
    private void start(Unit u, Release r, StringBuilder out) throws Fail {
        if (out != null) {
            out.append("restarts=").append(u.restarts).append('\n').append("since=").append(now()).append('\n');
        }
        if (!u.exists || r == null) {
            throw new Fail(5, "Failed to restart " + u.name + ": Unit " + u.name + " not found.");
        }
        stop(u);
        u.running = r;
        u.journal.add(new Object[] {now(), "Started " + u.name + " - LiteLLM proxy (release " + r.id + ")."});
        if (crashLoops.contains(r.bundleId)) {
            u.active = "activating";
            u.sub = "auto-restart";
            u.journal.add(new Object[] {now(), "ValueError: the in-process host made release " + r.id + " crash"});
        } else {
            u.active = "active";
            u.sub = "running";
            u.pid = ++pids;
        }
    }

    private static void stop(Unit u) {
        u.active = "inactive";
        u.sub = "dead";
        u.pid = 0;
        u.running = null;
    }

    /**
     * The helper's probe (helper-probe.sh): readiness of what listens on the port; when not ready, liveliness and the unit's
     * systemd view (a short wait first, as the helper polls); when ready and asked (a fifth argument, the key), /v1/models
     * with that key and without, as {@link InProcessConnection}'s forward answers them.
     */
    private void probe(String[] a, StringBuilder out) throws Fail {
        if ((a.length != 4 && a.length != 5) || !NUMBER.matcher(a[0]).matches() || !NUMBER.matcher(a[1]).matches()) {
            throw new Fail(2, "usage: probe PORT WAIT_MS COLOR|- RESTARTS_BEFORE|- [KEY]");
        }
        Unit unit = a[2].equals("-") ? single : colors.get(color(a[2]));
        Release r = servingOn(Integer.parseInt(a[0]));
        int ready = r == null ? 0 : ready(r) ? 200 : 503;
        out.append("ready=").append(ready).append('\n');
        if (ready != 200) {
            try {
                Thread.sleep(Math.min(100, Long.parseLong(a[1]))); // the helper polls for the wait; nothing changes here meanwhile
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            out.append("live=").append(r == null ? 0 : 200).append("\nstopped=no\n");
            show(unit, out);
            return;
        }
        if (a.length == 5) {
            String key = r.bundle().masterKey();
            boolean accepted = key == null || key.equals(a[4]);
            String body = accepted ? InProcessConnection.modelList(r.bundle().models()) : "{\"error\":{\"message\":\"Authentication Error, No api key passed in.\"}}";
            out.append("models=").append(accepted ? 200 : 401).append("\nmodels_cut=no\nmodels_body=")
                    .append(java.util.Base64.getEncoder().encodeToString(body.getBytes(java.nio.charset.StandardCharsets.UTF_8)))
                    .append("\nopen=").append(key == null ? 200 : 401).append('\n');
        }
    }

    private static void show(Unit u, StringBuilder out) {
        if (u.looping()) {
            u.restarts++;
        }
        out.append("MainPID=").append(u.pid).append("\nNRestarts=").append(u.restarts).append("\nActiveState=").append(u.active)
                .append("\nSubState=").append(u.sub).append('\n');
    }

    private static void journal(Unit u, String[] a, int from, StringBuilder out) throws Fail {
        long since = Long.parseLong(number(a[from], "since"));
        int lines = Integer.parseInt(number(a[from + 1], "lines"));
        List<String> kept = u.journal.stream().filter(l -> (Long) l[0] >= since).map(l -> (String) l[1]).toList();
        kept.subList(Math.max(0, kept.size() - lines), kept.size()).forEach(l -> out.append(l).append('\n'));
    }

    private void audit(String[] a) throws Fail {
        claim(a[0], "result");
        if (!a[1].isEmpty()) {
            releaseId(a[1]);
        }
        claim(a[2], "actor");
        Release r = a[1].isEmpty() ? null : releases.get(a[1]);
        String revision = "";
        if (r != null && r.files.containsKey(Bundle.MANIFEST)) {
            Matcher m = Pattern.compile("\"source_revision\" *: *\"([A-Za-z0-9._/-]{0,80})\"")
                    .matcher(new String(r.files.get(Bundle.MANIFEST), StandardCharsets.UTF_8));
            revision = m.find() ? m.group(1) : "";
        }
        audit.add(String.format("{\"time\":\"%s\",\"login_user\":\"%s\",\"release\":\"%s\",\"bundle\":\"%s\",\"revision\":\"%s\",\"current\":\"%s\","
                + "\"actor\":\"%s\",\"result\":\"%s\"}", Instant.ofEpochSecond(now()), InProcessHost.LOGIN_USER, a[1], r == null ? "" : r.bundleId, revision,
                current == null ? "" : current, a[2], a[0]));
    }

    /** The host's own order of releases: those from before the history (by name), then the history, last time wins. */
    private List<String> historyOrder() {
        Set<String> order = new LinkedHashSet<>();
        for (String r : releases.keySet()) {
            if (!history.contains(r)) {
                order.add(r);
            }
        }
        List<String> lastWins = new ArrayList<>();
        for (int i = history.size() - 1; i >= 0; i--) {
            if (!lastWins.contains(history.get(i))) {
                lastWins.add(0, history.get(i));
            }
        }
        order.addAll(lastWins);
        order.removeIf(r -> !releases.containsKey(r));
        return new ArrayList<>(order);
    }

    private void record(String[] a) throws Fail {
        String id = releaseId(a[0]);
        int keep = Integer.parseInt(number(a[1], "keep"));
        claim(a[2], "result");
        claim(a[3], "actor");
        if (!releases.containsKey(id)) {
            throw new Fail(3, "release " + id + " is not on this host");
        }
        String prev = current;
        current = id;
        history.add(id);
        List<String> order = historyOrder();
        List<String> rest = new ArrayList<>(order);
        rest.remove(id);
        rest.remove(prev);
        List<String> kept = rest.subList(Math.max(0, rest.size() - Math.max(0, keep - 2)), rest.size());
        for (String r : order) {
            if (!r.equals(id) && !r.equals(prev) && !r.equals(Adoption.ID) && !kept.contains(r)) {
                releases.remove(r);
            }
        }
        envs.removeIf(e -> !envNamed(e, null));
        audit(new String[] {a[2], id, a[3]});
    }

    private void envBuild(String[] a, StringBuilder out) throws Fail {
        Release r = releases.get(releaseId(a[0]));
        byte[] lock = r == null ? null : r.files.get(PythonEnv.LOCK);
        if (lock == null) {
            throw new Fail(3, "release " + a[0] + " carries no requirements.lock");
        }
        if (!Bundle.sha256(lock).equals(a[1])) {
            throw new Fail(3, "the requirements.lock of release " + a[0] + " does not hash to " + a[1]);
        }
        envSources.put(a[1], a.length == 5 ? "index " + a[2] + " mirror " + a[3] + (a[4].isEmpty() ? "" : " with netrc") : "default");
        out.append(envs.add(a[1]) ? "built " : "present ").append(layout.stateDir()).append("/envs/").append(a[1]).append('\n');
    }

    /** Whether a release other than {@code except} names the environment in its unit. */
    private boolean envNamed(String sha, String except) {
        return releases.entrySet().stream().anyMatch(e -> !e.getKey().equals(except) && e.getValue().files.containsKey(Bundle.UNIT)
                && new String(e.getValue().files.get(Bundle.UNIT), java.nio.charset.StandardCharsets.UTF_8).contains("/envs/" + sha + "/"));
    }

    private void readRelease(String id, StringBuilder out) throws Fail {
        Release r = releases.get(releaseId(id));
        if (r == null || !r.files.containsKey(Bundle.MANIFEST)) {
            throw new Fail(3, "release " + id + " does not exist or has no manifest");
        }
        Map<String, byte[]> files = new TreeMap<>(r.files);
        if (r.failed) {
            files.put("FAILED", new byte[0]);
        }
        files.forEach((n, b) -> out.append(n).append(' ').append(Base64.getEncoder().encodeToString(b)).append('\n'));
    }

    private void installUv(String[] a, StringBuilder out) throws Fail {
        if (!a[0].matches("[A-Za-z0-9][A-Za-z0-9._+~-]{0,127}")) {
            throw new Fail(3, "not a plain file name: '" + a[0] + "'");
        }
        if (!a[1].matches("[0-9a-f]{64}")) {
            throw new Fail(3, "not a sha256: '" + a[1] + "'");
        }
        byte[] file = staging.remove(InProcessHost.STATE + "/staging/" + InProcessHost.LOGIN_USER + "/" + a[0]);
        if (file == null) {
            throw new Fail(5, "the uploaded uv file is missing");
        }
        if (!Bundle.sha256(file).equals(a[1])) {
            throw new Fail(5, "the uploaded uv file does not match the digest the deployer sent");
        }
        uv = "0.9.17";
        out.append("uvx 0.9.17\n");
    }

    private void bgStart(String[] a, StringBuilder out) throws Fail {
        String id = releaseId(a[0]);
        Unit c = colors.get(color(a[1]));
        int port = Integer.parseInt(number(a[2], "port"));
        Release r = releases.get(id);
        if (r == null) {
            throw new Fail(3, "release " + id + " is not on this host");
        }
        if (!r.files.containsKey("unit.params")) {
            throw new Fail(3, "release " + id + " has no unit parameters: blue-green renders each color's unit itself");
        }
        if (port < 1024 || port > 65535 || port == r.port()) {
            throw new Fail(3, "a color's port must be 1024-65535 and not the public port " + r.port() + ": '" + port + "'");
        }
        user = true;
        r.files.put("unit." + a[1], ("[Unit]\nDescription=LiteLLM proxy [" + a[1] + "]\n").getBytes(StandardCharsets.UTF_8));
        c.exists = true;
        c.installed = r;
        c.retiring = false;
        blueGreenDir = true;
        c.colorRelease = id;
        c.colorPort = port;
        start(c, r, out);
    }

    private void bgSwitch(String color) throws Fail {
        Unit c = colors.get(color);
        int port = colorPort(color);
        if (!c.up() || c.colorPort != port) {
            throw new Fail(5, "127.0.0.1:" + port + " is not served by litellm-" + color + ".service; not switching");
        }
        if (!nginx) {
            throw new Fail(5, "nginx is not installed (the ensure-proxy step installs it)");
        }
        nginxRunning = true;
        site = new Site(color, port, c.running.port());
        staleUpstream = null;
        stop(single);
        single.enabled = false;
        live = color;
        c.enabled = true;
        colors.get(color.equals("blue") ? "green" : "blue").enabled = false;
    }

    private void bgLeave() {
        site = null;
        for (Unit c : colors.values()) {
            stop(c);
            c.enabled = false;
            c.exists = false;
            c.installed = null;
            c.colorRelease = null;
            c.colorPort = 0;
            c.retiring = false;
        }
        blueGreenDir = false;
        live = null;
    }

    private int colorPort(String color) throws Fail {
        Unit c = colors.get(color);
        if (c.colorPort == 0) {
            throw new Fail(3, "the " + color + " color's port (never started?) must be a whole number, not 'x'");
        }
        return c.colorPort;
    }

    private Release existing(String id) throws Fail {
        Release r = releases.get(releaseId(id));
        if (r == null) {
            throw new Fail(3, "release " + id + " is not on this host");
        }
        return r;
    }

    private static String[] args(String[] a, int n, String usage) throws Fail {
        if (a.length != n) {
            throw new Fail(2, "usage: " + usage);
        }
        return a;
    }

    private static String releaseId(String s) throws Fail {
        if (!RELEASE_ID.matcher(s).matches()) {
            throw new Fail(3, "not a release id: '" + s + "'");
        }
        return s;
    }

    private static String number(String s, String what) throws Fail {
        if (!NUMBER.matcher(s).matches()) {
            throw new Fail(3, what + " must be a whole number, not '" + s + "'");
        }
        return s;
    }

    private static String color(String s) throws Fail {
        if (!COLORS.contains(s)) {
            throw new Fail(3, "not a color: '" + s + "'");
        }
        return s;
    }

    private static void claim(String s, String what) throws Fail {
        if (!CLAIM.matcher(s).matches()) {
            throw new Fail(3, what + " may hold only letters, digits, spaces and @._:;()/+,=- (at most 160)");
        }
    }

    private static long now() {
        return Instant.now().getEpochSecond();
    }
}
