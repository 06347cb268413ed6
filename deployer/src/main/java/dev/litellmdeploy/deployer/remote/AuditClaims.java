package dev.litellmdeploy.deployer.remote;

/**
 * The deployer's own words in an audit line (who it says deploys, what it says happened): the
 * helper writes the line from what it knows and accepts these only as plain text, so anything else
 * is replaced here rather than refused there. Applied by {@link Helper#audit} and {@link Helper#record} to every claim they
 * send, so no caller needs to remember it.
 */
public final class AuditClaims {
    private AuditClaims() {
    }

    public static String text(String claim) {
        if (claim == null) {
            return "";
        }
        String plain = claim.replaceAll("[^A-Za-z0-9 @._:;()/+,=-]", "_");
        return plain.length() > 160 ? plain.substring(0, 160) : plain;
    }
}
