package dev.litellmdeploy.deployer;

import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

import dev.litellmdeploy.deployer.bundle.Bundle;
import dev.litellmdeploy.deployer.bundle.BundleException;
import dev.litellmdeploy.deployer.remote.RemoteCommandException;
import dev.litellmdeploy.deployer.remote.RemoteHost;
import dev.litellmdeploy.deployer.remote.Shell;

/** Reads a release directory back from a server as a bundle (its manifest, models, master key and secrets to mask). */
final class RemoteRelease {
    private RemoteRelease() {
    }

    static Bundle load(RemoteHost host, RemoteLayout layout, String releaseId, java.time.Duration timeout)
            throws RemoteCommandException, BundleException {
        String dir = layout.release(releaseId);
        String out = host.runChecked("reading release " + releaseId, """
                d=%s
                [ -f "$d/manifest.json" ] || { echo "release $(basename "$d") does not exist or has no manifest" >&2; exit 3; }
                for f in "$d"/*; do [ -f "$f" ] && printf '%%s %%s\\n' "$(basename "$f")" "$(base64 -w0 "$f")"; done
                """.formatted(Shell.quote(dir)), timeout);
        Map<String, byte[]> files = new LinkedHashMap<>();
        for (String line : out.split("\n")) {
            int sp = line.indexOf(' ');
            if (sp > 0) {
                files.put(line.substring(0, sp), Base64.getDecoder().decode(line.substring(sp + 1).strip()));
            }
        }
        byte[] manifest = files.remove(Bundle.MANIFEST);
        files.remove("bundle-id");
        files.remove("FAILED");
        return Bundle.fromFiles(host.describe() + ":" + dir, manifest, files);
    }
}
