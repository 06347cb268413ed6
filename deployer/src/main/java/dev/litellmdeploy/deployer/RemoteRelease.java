package dev.litellmdeploy.deployer;

import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

import dev.litellmdeploy.deployer.bundle.Bundle;
import dev.litellmdeploy.deployer.bundle.BundleException;
import dev.litellmdeploy.deployer.remote.RemoteCommandException;
import dev.litellmdeploy.deployer.remote.RemoteHost;

/** Reads a release directory back from a server as a bundle (its manifest, models, master key and secrets to mask). */
final class RemoteRelease {
    private RemoteRelease() {
    }

    static Bundle load(RemoteHost host, RemoteLayout layout, String releaseId, java.time.Duration timeout)
            throws RemoteCommandException, BundleException {
        String dir = layout.release(releaseId);
        String out = host.callChecked("reading release " + releaseId, timeout, "read-release", releaseId);
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
        files.remove("UNPROVEN");
        return Bundle.fromFiles(host.describe() + ":" + dir, manifest, files);
    }
}
