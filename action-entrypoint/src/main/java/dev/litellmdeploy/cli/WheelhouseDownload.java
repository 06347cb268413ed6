package dev.litellmdeploy.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import dev.litellmdeploy.builder.PythonLock;
import dev.litellmdeploy.deployer.Wheelhouse;

/**
 * {@code lock --wheelhouse DIR}: exactly the files a lock pins, one wheel per pin for the lock's Python and platform, each
 * checked against the lock's sha256, in DIR. A pin DIR already holds a matching wheel of is not fetched again; the others are
 * fetched by pip ({@code pip download --require-hashes --no-deps --only-binary :all:} with the lock's Python version and the
 * platform tags its glibc accepts, so pip's tag order picks the wheel, from the index or a {@code --find-links} directory)
 * into a hidden directory of DIR, checked here once more and only then moved in. Files DIR holds that the lock does not
 * name are reported. {@link #arguments} is pure.
 */
record WheelhouseDownload(String python, PythonLock lock, Path dir, Path findLinks, String indexUrl) {
    /** A wheel file name: distribution-version(-build)?-python-abi-platform.whl. */
    private static final Pattern WHEEL = Pattern.compile("([A-Za-z0-9](?:[A-Za-z0-9._]*[A-Za-z0-9])?)-[^-]+(?:-[0-9][^-]*)?-[^-]+-[^-]+-[^-]+\\.whl");
    private static final Pattern MANYLINUX = Pattern.compile("([a-z0-9_]+)-manylinux_2_([0-9]{1,2})");
    /** pip's answer to a wheel whose digest is not the lock's: "    idna==3.20 from file:///...". */
    private static final Pattern MISMATCH = Pattern.compile("(?m)^\\s+([A-Za-z0-9][A-Za-z0-9._-]*==\\S+) from (\\S+)");

    /** What DIR held and got: the lock's wheels by file name, those fetched now, their bytes, and the files the lock does not name. */
    record Result(Set<String> wheels, List<String> fetched, long fetchedBytes, Set<String> unnamed) {
    }

    /** Pins left without a checked wheel (a digest that is not the lock's, or no wheel for the platform). */
    static final class Refused extends RuntimeException {
        Refused(String message) {
            super(message);
        }
    }

    /** The platform tags a server of the lock's platform (uv's ARCH-manylinux_2_N) installs: glibc 2.N down to 2.5, newest first. */
    static List<String> platformTags(String platform) {
        Matcher m = MANYLINUX.matcher(platform);
        if (!m.matches()) {
            throw new IllegalArgumentException("lock --wheelhouse knows the wheels of ARCH-manylinux_2_N platforms (like x86_64-manylinux_2_36),"
                    + " not '" + platform + "'");
        }
        String arch = m.group(1);
        List<String> tags = new ArrayList<>();
        for (int minor = Integer.parseInt(m.group(2)); minor >= 5; minor--) {
            tags.add("manylinux_2_" + minor + "_" + arch);
            switch (minor) { // the legacy aliases (PEP 600)
                case 17 -> tags.add("manylinux2014_" + arch);
                case 12 -> tags.add("manylinux2010_" + arch);
                case 5 -> tags.add("manylinux1_" + arch);
                default -> { }
            }
        }
        return tags;
    }

    /** pip's arguments for the requirements file {@code pins} into {@code into}: no config, no dependencies, hashes required. */
    List<String> arguments(Path pins, Path into) {
        String py = lock.pythonVersion();
        String abi = "cp" + py.replaceAll("^(\\d+)\\.(\\d+).*", "$1$2");
        List<String> a = new ArrayList<>(List.of(python, "-m", "pip", "download", "--isolated", "--disable-pip-version-check", "--no-input",
                "--progress-bar", "off", "--no-deps", "--require-hashes", "--only-binary", ":all:", "--python-version", py,
                "--implementation", "cp", "--abi", abi, "--abi", "abi3", "--abi", "none"));
        for (String tag : platformTags(lock.platform())) {
            a.addAll(List.of("--platform", tag));
        }
        if (findLinks != null) {
            a.addAll(List.of("--no-index", "--find-links", findLinks.toAbsolutePath().toString()));
        } else if (indexUrl != null) {
            a.addAll(List.of("--index-url", indexUrl));
        }
        a.addAll(List.of("-r", pins.toString(), "-d", into.toString()));
        return a;
    }

    Result run() throws IOException, InterruptedException {
        Map<String, Set<String>> hashes = lock.hashes();
        platformTags(lock.platform());
        Files.createDirectories(dir);
        Map<String, String> have = new TreeMap<>(); // pin -> file name
        Set<String> unnamed = new TreeSet<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.sorted().toList()) {
                String name = f.getFileName().toString();
                if (name.startsWith(".")) {
                    continue;
                }
                String pin = pinOf(f, hashes);
                if (pin == null || have.putIfAbsent(pin, name) != null) {
                    unnamed.add(name);
                }
            }
        }
        List<String> missing = hashes.keySet().stream().filter(p -> !have.containsKey(p)).toList();
        List<String> fetched = new ArrayList<>();
        long bytes = 0;
        if (!missing.isEmpty()) {
            Path work = Files.createTempDirectory(dir, ".lock-wheelhouse-");
            try {
                Path pins = work.resolve("pins.txt");
                Files.writeString(pins, requirements(missing, hashes), StandardCharsets.UTF_8);
                Path into = Files.createDirectory(work.resolve("wheels"));
                String log = pip(arguments(pins, into), work.resolve("pip.log"));
                try (Stream<Path> files = Files.list(into)) {
                    for (Path f : files.sorted().toList()) {
                        String pin = pinOf(f, hashes);
                        if (pin != null && missing.contains(pin) && !have.containsKey(pin)) { // checked here too, not only by pip
                            bytes += Files.size(f);
                            Files.move(f, dir.resolve(f.getFileName()), StandardCopyOption.ATOMIC_MOVE);
                            have.put(pin, f.getFileName().toString());
                            fetched.add(f.getFileName().toString());
                        }
                    }
                }
                List<String> still = missing.stream().filter(p -> !have.containsKey(p)).toList();
                if (log != null || !still.isEmpty()) {
                    throw new Refused(failure(log, still));
                }
            } finally {
                delete(work);
            }
        }
        return new Result(new TreeSet<>(have.values()), fetched, bytes, unnamed);
    }

    /** The message of a download that left pins without a checked wheel: pip's hash refusals name the packages. */
    private String failure(String log, List<String> still) {
        Matcher m = MISMATCH.matcher(log == null ? "" : log);
        List<String> refused = new ArrayList<>();
        while (m.find()) {
            refused.add(m.group(1) + " (" + m.group(2) + ")");
        }
        String from = findLinks != null ? findLinks.toString() : indexUrl != null ? indexUrl : "PyPI";
        if (!refused.isEmpty()) {
            return "the wheel of " + String.join(", ", refused) + " does not match the sha256 the lock pins: tampered with, or not the file"
                    + " the lock was made from. It was not put in " + dir + "; " + (still.size() - refused.size()) + " other pins still"
                    + " have no wheel there (fix the source, " + from + ", and run lock --wheelhouse again)";
        }
        return "pip could not fetch a wheel for " + String.join(", ", still) + " from " + from + " for Python " + lock.pythonVersion() + " on "
                + lock.platform() + "; they were not put in " + dir + (log == null ? "" : ":\n" + log);
    }

    /** The pin this file is a wheel of (its name and version, and a digest the lock allows for it), or null. */
    private String pinOf(Path f, Map<String, Set<String>> hashes) throws IOException {
        Matcher m = WHEEL.matcher(f.getFileName().toString());
        if (!m.matches() || !Files.isRegularFile(f, LinkOption.NOFOLLOW_LINKS)) {
            return null;
        }
        String pin = PythonLock.normalize(m.group(1));
        Set<String> allowed = hashes.get(pin);
        return allowed != null && allowed.contains(Wheelhouse.sha256(f)) ? pin : null; // the digest names the file, its version too
    }

    private String requirements(List<String> pins, Map<String, Set<String>> hashes) {
        StringBuilder s = new StringBuilder();
        for (String pin : pins) {
            s.append(pin).append("==").append(lock.pins().get(pin));
            for (String h : new LinkedHashSet<>(hashes.get(pin))) {
                s.append(" \\\n    --hash=sha256:").append(h);
            }
            s.append('\n');
        }
        return s.toString();
    }

    /** Runs pip; null when it succeeded, else what it said. */
    private String pip(List<String> args, Path logFile) throws IOException, InterruptedException {
        Process p;
        try {
            p = new ProcessBuilder(args).redirectErrorStream(true).redirectOutput(logFile.toFile()).start();
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot run pip ('" + python + " -m pip'): " + e.getMessage() + ". lock --wheelhouse"
                    + " downloads with pip (uv has no download command): install python3 with pip");
        }
        if (!p.waitFor(30, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new IllegalStateException("pip download took longer than 30 minutes");
        }
        return p.exitValue() == 0 ? null : Files.readString(logFile, StandardCharsets.UTF_8).strip();
    }

    /** Removes a directory tree (a private temporary one: nothing in it is a link someone else made). */
    static void delete(Path dir) throws IOException {
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path f : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(f);
            }
        }
    }
}
