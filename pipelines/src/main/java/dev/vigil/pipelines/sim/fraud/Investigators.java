package dev.vigil.pipelines.sim.fraud;

import static org.apache.flink.util.Preconditions.checkArgument;
import static org.apache.flink.util.Preconditions.checkNotNull;

import dev.vigil.pipelines.sim.fraud.FraudSimulationConfig.DelayRange;
import dev.vigil.schema.fraud.InvestigatorFeedback;
import dev.vigil.schema.fraud.ReviewSource;
import dev.vigil.schema.fraud.Verdict;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.SplittableRandom;

/**
 * The simulated fraud team: given the ground truth of a transaction the pipeline sent to review, returns the
 * investigator's verdict and when it was recorded, the way the demo closes the fast-label loop. Deterministic: the same
 * transaction reviewed at the same time always gets the same verdict, delay and investigator. Investigators are right
 * except with probability {@code errorRate}; ids are pseudonymous hashes of staff ids.
 *
 * <pre>{@code
 * Investigators team = Investigators.of(config);
 * if (decision.getDecision() == Decision.REVIEW) {
 *     InvestigatorFeedback verdict = team.review(event.truth(), decidedAtMillis);
 * }
 * }</pre>
 */
public final class Investigators {
    /** How many investigators the team has. */
    public static final int TEAM_SIZE = 16;

    private static final String[] IDS = hashedIds();

    private final long seed;
    private final DelayRange delay;
    private final double errorRate;

    public Investigators(long seed, DelayRange delay, double errorRate) {
        checkArgument(errorRate >= 0 && errorRate < 0.5, "errorRate must be in [0, 0.5): %s", errorRate);
        this.seed = seed;
        this.delay = checkNotNull(delay, "delay");
        this.errorRate = errorRate;
    }

    /** The team of a simulation: its seed, feedback delay and error rate. */
    public static Investigators of(FraudSimulationConfig config) {
        return new Investigators(config.seed(), config.feedbackDelay(), config.investigatorErrorRate());
    }

    /**
     * The verdict on a transaction the pipeline sent to review ({@link ReviewSource#ALERT}).
     *
     * @param truth the transaction's ground truth ({@link FraudEvent#truth()})
     * @param alertedAtMillis when the transaction was sent to review; the verdict comes a feedback delay later
     */
    public InvestigatorFeedback review(TransactionTruth truth, long alertedAtMillis) {
        checkNotNull(truth, "truth");
        SplittableRandom rng = new SplittableRandom(Seeds.derive(seed, Seeds.REVIEW, hash(truth.transactionId())));
        long reviewedAt = Math.max(alertedAtMillis, truth.eventTimeMillis()) + delay.millis(rng.nextDouble());
        return feedback(truth, reviewedAt, ReviewSource.ALERT, rng);
    }

    /** Feedback from {@code source}, recorded at {@code reviewedAtMillis}; draws the error and the investigator. */
    InvestigatorFeedback feedback(
            TransactionTruth truth, long reviewedAtMillis, ReviewSource source, SplittableRandom rng) {
        boolean wrong = rng.nextDouble() < errorRate;
        Verdict verdict = truth.fraud() != wrong ? Verdict.FRAUD : Verdict.LEGIT;
        return new InvestigatorFeedback(
                truth.transactionId(),
                truth.accountId(),
                truth.cardId(),
                Instant.ofEpochMilli(truth.eventTimeMillis()),
                Instant.ofEpochMilli(reviewedAtMillis),
                verdict,
                source,
                IDS[rng.nextInt(TEAM_SIZE)]);
    }

    DelayRange delay() {
        return delay;
    }

    private static long hash(String s) {
        long h = 0x5DEECE66DL;
        for (int i = 0; i < s.length(); i++) {
            h = Seeds.mix(h + s.charAt(i));
        }
        return h;
    }

    private static String[] hashedIds() {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            String[] ids = new String[TEAM_SIZE];
            for (int i = 0; i < TEAM_SIZE; i++) {
                String staffId = "vigil-simulated-investigator-" + (i + 1);
                byte[] digest = sha.digest(staffId.getBytes(StandardCharsets.UTF_8));
                ids[i] = HexFormat.of().formatHex(digest, 0, 8);
            }
            return ids;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
