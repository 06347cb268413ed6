package dev.litellmdeploy.deployer;

import dev.litellmdeploy.deployer.remote.Shell;

/** The root scripts the steps run, in one place so a reviewer can read them together. */
final class RemoteScripts {
    private RemoteScripts() {
    }

    static final String PREFLIGHT = """
            [ "$(cat /proc/1/comm 2>/dev/null)" = systemd ] || { echo "PID 1 is '$(cat /proc/1/comm 2>/dev/null)', not systemd: this host cannot run a systemd service" >&2; exit 3; }
            command -v systemctl >/dev/null || { echo "systemctl is missing" >&2; exit 3; }
            command -v flock >/dev/null || { echo "flock (util-linux) is missing" >&2; exit 3; }
            command -v sha256sum >/dev/null || { echo "sha256sum (coreutils) is missing" >&2; exit 3; }
            free=$(df -Pk / /var/lib /opt 2>/dev/null | awk 'NR>1 {print $4}' | sort -n | head -1)
            [ "${free:-0}" -ge 102400 ] || { echo "only ${free:-0} KiB free on / or /var/lib or /opt; need at least 100 MiB (a first start downloads Python and LiteLLM: ~500 MiB)" >&2; exit 3; }
            echo "free_kib=$free"
            """;

    /** Moves the uploaded files into a root-only release directory after checking every digest. */
    static String commitRelease(String staging, String releaseDir, String bundleId, String checksums) {
        return """
                src=%1$s; dst=%2$s
                rm -rf "$dst.partial"; install -d -m 0700 "$dst.partial"
                for f in "$src"/*; do install -m 0600 -o root -g root "$f" "$dst.partial/"; done
                cd "$dst.partial"
                printf '%%s' %4$s | sha256sum --quiet --strict -c - || { echo "an uploaded file does not match the bundle's digest" >&2; cd /; rm -rf "$dst.partial"; exit 4; }
                printf '%%s\\n' %3$s > bundle-id
                sync .
                cd /; rm -rf "$dst"; mv -T "$dst.partial" "$dst"
                find "$(dirname "$src")" -mindepth 1 -maxdepth 1 -exec rm -rf {} +
                """.formatted(Shell.quote(staging), Shell.quote(releaseDir), Shell.quote(bundleId), Shell.quote(checksums));
    }

    static String ensureUser(RemoteLayout l) {
        return """
                u=%1$s; home=%2$s
                id -u "$u" >/dev/null 2>&1 || useradd --system --home-dir "$home" --create-home --shell /usr/sbin/nologin "$u"
                install -d -m 0750 -o "$u" -g "$u" "$home"
                install -d -m 0750 -o root -g "$u" %3$s
                """.formatted(Shell.quote(l.serviceUser()), Shell.quote(l.serviceHome()), Shell.quote(l.configDir()));
    }

    /** Installs a release's files atomically (write, fsync, rename): config 0640 root:service, env 0600, unit 0644. */
    static String installRelease(RemoteLayout l, String releaseDir) {
        return """
                rel=%1$s; g=%2$s
                put() { install -m "$3" -o root -g "$4" "$1" "$2.litellm-deploy.new" && sync "$2.litellm-deploy.new" && mv -f "$2.litellm-deploy.new" "$2"; }
                put "$rel/config.yaml" %3$s 0640 "$g"
                if [ -f "$rel/litellm.env" ]; then put "$rel/litellm.env" %4$s 0600 root; else rm -f %4$s; fi
                put "$rel/litellm.service" %5$s 0644 root
                """.formatted(Shell.quote(releaseDir), Shell.quote(l.serviceUser()), Shell.quote(l.configPath()), Shell.quote(l.envPath()),
                Shell.quote(l.unitPath()));
    }

    /** Switches the service to a kept release: its files, daemon-reload, restart (rollbacks, automatic or by hand). */
    static String switchToRelease(RemoteLayout l, String releaseId) {
        return installRelease(l, l.release(releaseId)) + "systemctl daemon-reload\nsystemctl restart " + Shell.quote(l.unitName()) + "\n";
    }

    static String serviceShow(String unit) {
        return "systemctl show -p ActiveState -p SubState -p NRestarts -p MainPID " + Shell.quote(unit);
    }

    static String journalSince(String unit, long epochSeconds, int lines) {
        return "journalctl -u " + Shell.quote(unit) + " --no-pager -o cat -n " + lines + " --since @" + epochSeconds + " || true";
    }

    static String record(RemoteLayout l, String releaseId, String keepAlso, int keep, String auditLine) {
        return """
                state=%1$s; rid=%2$s; prev=%3$s
                ln -sfn "releases/$rid" "$state/current.new" && mv -Tf "$state/current.new" "$state/current"
                ls -1 "$state/releases" | grep -v '[.]partial$' | sort | head -n -%4$d | while read -r r; do
                  [ "$r" = "$rid" ] || [ "$r" = "$prev" ] || rm -rf "$state/releases/$r"; done
                printf '%%s\\n' %5$s >> "$state/audit.log"; chmod 0600 "$state/audit.log"
                """.formatted(Shell.quote(l.stateDir()), Shell.quote(releaseId), Shell.quote(keepAlso == null ? "" : keepAlso), keep,
                Shell.quote(auditLine));
    }

    static String audit(RemoteLayout l, String auditLine) {
        return "printf '%s\\n' " + Shell.quote(auditLine) + " >> " + Shell.quote(l.auditLog()) + "; chmod 0600 " + Shell.quote(l.auditLog());
    }

    static String installUvFromUpload(String uploaded, String binDir) {
        return """
                f=%1$s; bin=%2$s
                case "$f" in
                  *.tar.gz|*.tgz)
                    d=$(mktemp -d "$(dirname "$f")/uv.XXXXXX"); tar -xzf "$f" -C "$d"
                    uv=$(find "$d" -type f -name uv | head -1); uvx=$(find "$d" -type f -name uvx | head -1)
                    [ -n "$uv" ] && [ -n "$uvx" ] || { echo "the uv archive holds no uv and uvx binaries" >&2; exit 5; }
                    install -d "$bin"; install -m 0755 "$uv" "$bin/uv"; install -m 0755 "$uvx" "$bin/uvx"; rm -rf "$d" ;;
                  *) env UV_INSTALL_DIR="$bin" UV_NO_MODIFY_PATH=1 INSTALLER_NO_MODIFY_PATH=1 sh "$f" ;;
                esac
                rm -f "$f"
                "$bin/uvx" --version
                """.formatted(Shell.quote(uploaded), Shell.quote(binDir));
    }

    static String installUvFromUrl(String url, String binDir, String scratch) {
        return """
                bin=%2$s; f=%3$s/uv-installer.sh
                install -d -m 0700 %3$s
                curl --proto '=https' --tlsv1.2 -fLsS --retry 3 %1$s -o "$f" || { echo "cannot download the uv installer from %1$s" >&2; exit 5; }
                env UV_INSTALL_DIR="$bin" UV_NO_MODIFY_PATH=1 INSTALLER_NO_MODIFY_PATH=1 sh "$f"
                rm -f "$f"
                "$bin/uvx" --version
                """.formatted(Shell.quote(url), Shell.quote(binDir), Shell.quote(scratch));
    }
}
