package dev.litellmdeploy.deployer;

import java.util.Map;

/**
 * A host that runs the configured unit without litellm-deploy (the seed's hand-made setup, or any other): the first deploy
 * saves what it would change as release {@value #ID} before it changes anything (the helper's {@code adopt}: unit, config
 * and env file byte for byte with modes and owners, the enabled and active state; the {@code adopt} step), and a failure,
 * or a later {@code rollback}, puts exactly that back ({@code restore-adopted}) and proves it running if it was.
 */
public final class Adoption {
    /** The adopted setup's release id: sorts before every dated release, and is never pruned. */
    public static final String ID = "0-adopted";

    private Adoption() {
    }

    /** What the helper's {@code state} found: the unit's file and its drop-ins, or null (nothing to adopt, or already managed). */
    public record Found(String unitFile, String dropIns) {
        static Found parse(Map<String, String> stateValues) {
            String unit = stateValues.get("adopt_unit");
            return unit == null || unit.isBlank() ? null : new Found(unit, stateValues.getOrDefault("adopt_dropins", "").strip());
        }

        /** What a plan says about it. */
        String planNote(RemoteLayout layout) {
            return "adopting the existing " + layout.unitName() + " (not managed by litellm-deploy): it is saved as release " + ID
                    + " and restored if this deploy fails" + (dropIns.isEmpty() ? "" : "; its drop-ins (" + dropIns + ") apply to the new unit too");
        }
    }
}
