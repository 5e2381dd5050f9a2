package dev.vigil.pipelines.sim.fraud;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.vigil.schema.fraud.Channel;
import dev.vigil.schema.fraud.Transaction;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The drift switches change nothing before their instant, byte for byte, and change the distributions after it: the
 * holiday season shifts legitimate behaviour, the new pattern adds a fraud pattern the stream never had.
 */
class FraudDriftTest {
    private static final Set<String> SEASONAL = Set.of("5311", "5651", "5732", "5942", "5945", "5999", "5944");

    private static FraudSimulationConfig base;
    private static Instant switchAt;
    private static Run baseline;
    private static Run holiday;
    private static Run newPattern;

    @BeforeAll
    static void simulate() throws Exception {
        // A high fraud rate and fewer (clumpy) merchant-compromise waves, so that fraud shares are measurable.
        base = FraudSimulationConfig.builder()
                .seed(53)
                .accounts(3_000)
                .duration(Duration.ofDays(20))
                .fraudRate(0.01)
                .patternShares(0.4, 0.4, 0.2)
                .build();
        switchAt = base.start().plus(Duration.ofDays(10)).plusSeconds(12_345);
        baseline = Run.of(new FraudSimulator(base));
        holiday = Run.of(new FraudSimulator(base.toBuilder().holidaySeasonAt(switchAt).build()));
        newPattern = Run.of(new FraudSimulator(base.toBuilder().newPatternAt(switchAt).build()));
    }

    @Test
    void nothingChangesBeforeTheSwitch() {
        assertThat(baseline.eventsBefore).isGreaterThan(50_000);
        assertThat(holiday.eventsBefore).isEqualTo(baseline.eventsBefore);
        assertThat(holiday.digestBefore).isEqualTo(baseline.digestBefore);
        assertThat(newPattern.eventsBefore).isEqualTo(baseline.eventsBefore);
        assertThat(newPattern.digestBefore).isEqualTo(baseline.digestBefore);
        assertThat(holiday.episodesBefore).isEqualTo(baseline.episodesBefore);
        assertThat(newPattern.episodesBefore).isEqualTo(baseline.episodesBefore);
        // ... and something changes after it.
        assertThat(holiday.after).isNotEqualTo(baseline.after);
        assertThat(newPattern.after).isNotEqualTo(baseline.after);
    }

    @Test
    void theHolidaySeasonShiftsLegitimateBehaviourAfterTheSwitch() {
        Stats control = baseline.after;
        Stats season = holiday.after;
        // More transactions: the baseline's second half is the control.
        assertThat((double) season.legit / control.legit).isCloseTo(AccountProfile.HOLIDAY_RATE, within(0.08));
        // More retail, larger retail baskets, more online, more foreign web shops.
        assertThat(season.seasonalShare()).isGreaterThan(1.5 * control.seasonalShare());
        assertThat(season.seasonalMeanAmount()).isGreaterThan(1.15 * control.seasonalMeanAmount());
        assertThat(season.onlineShare()).isGreaterThan(control.onlineShare() + 0.02);
        assertThat(season.crossBorderOnlineShare()).isGreaterThan(1.2 * control.crossBorderOnlineShare());
        // Groceries stay groceries.
        assertThat(season.groceryMeanAmount())
                .isCloseTo(control.groceryMeanAmount(), within(0.05 * control.groceryMeanAmount()));
        // Fraud keeps its rate.
        assertThat(season.fraudRate()).isCloseTo(base.fraudRate(), within(0.35 * base.fraudRate()));
    }

    @Test
    void theNewPatternAppearsOnlyAfterTheSwitchAndKeepsTheFraudRate() {
        assertThat(baseline.drainBefore + baseline.after.drain).isZero();
        assertThat(newPattern.drainBefore).isZero();
        Stats after = newPattern.after;
        // The drain takes its share of the fraud; episodes cut off by the end of the run make it a little less.
        assertThat((double) after.drain / after.fraud).isCloseTo(base.newPatternShare(), within(0.15));
        double expected = base.newPatternShare() * base.fraudRate();
        assertThat((double) after.drain / (after.legit + after.fraud)).isCloseTo(expected, within(0.3 * expected));
        assertThat(after.fraudRate()).isCloseTo(base.fraudRate(), within(0.35 * base.fraudRate()));
    }

    /** One simulation, summarised: a digest of everything about transactions before the switch, stats after it. */
    private record Run(long eventsBefore, String digestBefore, List<FraudEpisode> episodesBefore, long drainBefore,
            Stats after) {
        static Run of(FraudSimulator simulator) throws Exception {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            ByteBuffer times = ByteBuffer.allocate(2 * Long.BYTES);
            long t = switchAt.toEpochMilli();
            long before = 0;
            long drainBefore = 0;
            Stats.Builder after = new Stats.Builder();
            for (FraudEvent e : simulator) {
                if (e.truth().eventTimeMillis() < t) {
                    before++;
                    times.clear();
                    sha.update(times.putLong(e.eventTimeMillis()).putLong(e.deliveryTimeMillis()).array());
                    sha.update(e.truth().toString().getBytes(StandardCharsets.UTF_8));
                    sha.update(FraudDigest.avro(e.record()));
                    if (e.truth().pattern() == FraudPattern.DIGITAL_GOODS_DRAIN) {
                        drainBefore++;
                    }
                } else if (e.kind() == FraudEvent.Kind.TRANSACTION) {
                    after.add(e);
                }
            }
            List<FraudEpisode> episodes =
                    simulator.episodes().stream().filter(ep -> ep.start().isBefore(switchAt)).toList();
            return new Run(before, HexFormat.of().formatHex(sha.digest()), episodes, drainBefore, after.build());
        }
    }

    /** Transactions after the switch. */
    private record Stats(long legit, long seasonal, long seasonalAmount, long online, long crossBorderOnline,
            long grocery, long groceryAmount, long fraud, long drain) {

        double seasonalShare() {
            return (double) seasonal / legit;
        }

        double seasonalMeanAmount() {
            return (double) seasonalAmount / seasonal;
        }

        double onlineShare() {
            return (double) online / legit;
        }

        double crossBorderOnlineShare() {
            return (double) crossBorderOnline / online;
        }

        double groceryMeanAmount() {
            return (double) groceryAmount / grocery;
        }

        double fraudRate() {
            return (double) fraud / (fraud + legit);
        }

        static final class Builder {
            private long legit, seasonal, seasonalAmount, online, crossBorderOnline, grocery, groceryAmount, fraud,
                    drain;

            void add(FraudEvent e) {
                if (e.truth().fraud()) {
                    fraud++;
                    if (e.truth().pattern() == FraudPattern.DIGITAL_GOODS_DRAIN) {
                        drain++;
                    }
                    return;
                }
                Transaction tx = e.transaction();
                legit++;
                if (SEASONAL.contains(tx.getMcc())) {
                    seasonal++;
                    seasonalAmount += tx.getAmountMinor();
                }
                if (tx.getChannel() == Channel.ECOMMERCE) {
                    online++;
                    if (!tx.getMerchantCountry().equals(tx.getHomeCountry())) {
                        crossBorderOnline++;
                    }
                }
                if (tx.getMcc().equals("5411")) {
                    grocery++;
                    groceryAmount += tx.getAmountMinor();
                }
            }

            Stats build() {
                return new Stats(legit, seasonal, seasonalAmount, online, crossBorderOnline, grocery, groceryAmount,
                        fraud, drain);
            }
        }
    }
}
