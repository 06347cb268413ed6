package dev.litellmdeploy.deployer;

import java.util.List;

/** Every host's result, in the order the hosts were given. */
public record DeployResult(List<HostResult> hosts) {
    public boolean ok() {
        return hosts.stream().allMatch(h -> h.outcome().ok());
    }

    public boolean changed() {
        return hosts.stream().anyMatch(HostResult::changed);
    }
}
