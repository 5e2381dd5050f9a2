package dev.vigil.pipelines.sim.fraud;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.schema.fraud.Channel;
import dev.vigil.schema.fraud.Transaction;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every fraud pattern appears with its signature, judged from the emitted transactions and the accounts' own history
 * (as a feature pipeline would see them), with the truth only telling which transactions belong to which episode.
 */
class FraudPatternsTest {
    private static final long MINUTE = 60_000L;
    private static final long HOUR = 60 * MINUTE;

    private static FraudSimulator simulator;
    private static Instant newPatternAt;
    /** Transactions in event-time order. */
    private static List<FraudEvent> transactions;
    private static Map<Integer, List<FraudEvent>> byEpisode;
    private static Map<String, List<FraudEvent>> byAccount;

    @BeforeAll
    static void simulate() {
        FraudSimulationConfig base =
                FraudSimulationConfig.builder().seed(31).accounts(3_000).duration(Duration.ofDays(21)).build();
        newPatternAt = base.start().plus(Duration.ofDays(10));
        // A high fraud rate, so that one run holds many episodes of every pattern.
        simulator = new FraudSimulator(base.toBuilder().fraudRate(0.01).newPatternAt(newPatternAt).build());
        transactions = new ArrayList<>();
        for (FraudEvent e : simulator) {
            if (e.kind() == FraudEvent.Kind.TRANSACTION) {
                transactions.add(e);
            }
        }
        transactions.sort(Comparator.comparingLong(FraudEvent::eventTimeMillis));
        byEpisode = new HashMap<>();
        byAccount = new HashMap<>();
        for (FraudEvent e : transactions) {
            if (e.truth().episodeId() >= 0) {
                byEpisode.computeIfAbsent(e.truth().episodeId(), k -> new ArrayList<>()).add(e);
            }
            byAccount.computeIfAbsent(e.key(), k -> new ArrayList<>()).add(e);
        }
    }

    private static List<FraudEpisode> episodes(FraudPattern pattern) {
        return simulator.episodes().stream().filter(e -> e.pattern() == pattern).toList();
    }

    /** Episodes that start inside the run (others began before it and are only partly visible). */
    private static List<FraudEpisode> startingInRun(FraudPattern pattern) {
        return episodes(pattern).stream().filter(e -> !e.start().isBefore(simulator.config().start())).toList();
    }

    private static List<FraudEvent> frauds(FraudEpisode episode) {
        return byEpisode.getOrDefault(episode.id(), List.of()).stream().filter(e -> e.truth().fraud()).toList();
    }

    @Test
    void everyPatternIsPresentAndTheEpisodesMatchTheStream() {
        Map<FraudPattern, Long> frauds = transactions.stream()
                .filter(e -> e.truth().fraud())
                .collect(Collectors.groupingBy(e -> e.truth().pattern(), Collectors.counting()));
        assertThat(frauds)
                .containsKeys(
                        FraudPattern.CARD_TESTING,
                        FraudPattern.ACCOUNT_TAKEOVER,
                        FraudPattern.MERCHANT_COMPROMISE,
                        FraudPattern.DIGITAL_GOODS_DRAIN);
        assertThat(frauds).doesNotContainKey(FraudPattern.NONE);
        for (FraudEpisode episode : simulator.episodes()) {
            List<FraudEvent> mine = frauds(episode);
            assertThat(mine).as("episode %s", episode.id()).hasSize(episode.fraudTransactions());
            for (FraudEvent e : mine) {
                assertThat(e.truth().pattern()).isEqualTo(episode.pattern());
                assertThat(e.transaction().getCardId()).isIn(episode.cardIds());
                assertThat(e.eventTimeMillis()).isBetween(episode.start().toEpochMilli(), episode.end().toEpochMilli());
            }
        }
        assertThat(transactions)
                .filteredOn(e -> !e.truth().fraud())
                .allMatch(e -> e.truth().pattern() == FraudPattern.NONE);
    }

    @Test
    void cardTestingIsABurstOfTinyAmountsAtFewMerchantsFromOneDevice() {
        List<FraudEpisode> campaigns = startingInRun(FraudPattern.CARD_TESTING);
        assertThat(campaigns).hasSizeGreaterThan(5);
        int cards = 0;
        int burstsOfThreeOrMore = 0;
        for (FraudEpisode campaign : campaigns) {
            List<FraudEvent> frauds = frauds(campaign);
            List<FraudEvent> tests = frauds.stream().filter(e -> e.transaction().getAmountMinor() < 200).toList();
            assertThat(tests).isNotEmpty();
            assertThat(tests.stream().map(e -> e.transaction().getMerchantId()).distinct().count())
                    .isLessThanOrEqualTo(2);
            assertThat(tests.stream().map(e -> e.transaction().getDeviceId()).distinct())
                    .containsExactly(campaign.deviceId());
            assertThat(tests).allMatch(e -> e.transaction().getChannel() == Channel.ECOMMERCE);
            Map<String, List<FraudEvent>> byCard =
                    tests.stream().collect(Collectors.groupingBy(e -> e.transaction().getCardId()));
            for (List<FraudEvent> burst : byCard.values()) {
                cards++;
                long span = burst.get(burst.size() - 1).eventTimeMillis() - burst.get(0).eventTimeMillis();
                assertThat(span).as("burst span").isLessThanOrEqualTo(30 * MINUTE);
                if (burst.size() >= 3) {
                    burstsOfThreeOrMore++;
                }
                // Cash-outs of a tested card are large and come hours after its burst.
                String card = burst.get(0).transaction().getCardId();
                long lastTest = burst.get(burst.size() - 1).eventTimeMillis();
                for (FraudEvent cashOut : frauds) {
                    Transaction t = cashOut.transaction();
                    if (t.getCardId().equals(card) && t.getAmountMinor() >= 200) {
                        assertThat(cashOut.eventTimeMillis() - lastTest).isGreaterThanOrEqualTo(2 * HOUR);
                        assertThat(t.getAmountMinor()).isGreaterThanOrEqualTo(2_000);
                    }
                }
            }
        }
        assertThat(burstsOfThreeOrMore).as("cards tested at least three times").isGreaterThan((int) (0.9 * cards));
        // Legitimate customers rarely make three tiny online payments within half an hour.
        long legitBursts = byAccount.values().stream().filter(FraudPatternsTest::hasLegitTinyBurst).count();
        assertThat(legitBursts).isLessThan(cards / 5 + 1);
    }

    private static boolean hasLegitTinyBurst(List<FraudEvent> history) {
        List<Long> tiny = history.stream()
                .filter(e -> !e.truth().fraud())
                .map(FraudEvent::transaction)
                .filter(t -> t.getChannel() == Channel.ECOMMERCE && t.getAmountMinor() < 200)
                .map(t -> t.getEventTime().toEpochMilli())
                .toList();
        for (int i = 2; i < tiny.size(); i++) {
            if (tiny.get(i) - tiny.get(i - 2) <= 30 * MINUTE) {
                return true;
            }
        }
        return false;
    }

    @Test
    void accountTakeoverComesFromANewDeviceInAnotherCountryWithLargeAmounts() {
        List<FraudEpisode> takeovers = startingInRun(FraudPattern.ACCOUNT_TAKEOVER);
        assertThat(takeovers).hasSizeGreaterThan(30);
        int olderVictims = 0;
        int withHistory = 0;
        int unusuallyLarge = 0;
        for (FraudEpisode takeover : takeovers) {
            List<FraudEvent> frauds = frauds(takeover);
            if (frauds.isEmpty()) {
                continue;
            }
            String account = frauds.get(0).key();
            Customer customer = simulator.customer(account);
            if (customer.ageBand().equals("65+")) {
                olderVictims++;
            }
            long first = frauds.get(0).eventTimeMillis();
            Set<String> knownDevices = new HashSet<>();
            List<Long> legitAmounts = new ArrayList<>();
            for (FraudEvent e : byAccount.get(account)) {
                if (e.eventTimeMillis() >= first) {
                    break;
                }
                if (e.transaction().getDeviceId() != null) {
                    knownDevices.add(e.transaction().getDeviceId());
                }
                legitAmounts.add(e.transaction().getAmountMinor());
            }
            for (FraudEvent e : frauds) {
                Transaction t = e.transaction();
                assertThat(t.getDeviceId()).isEqualTo(takeover.deviceId()).isNotIn(knownDevices);
                assertThat(t.getMerchantCountry())
                        .isEqualTo(takeover.fraudCountry())
                        .isNotEqualTo(customer.homeCountry());
                assertThat(t.getChannel()).isEqualTo(Channel.ECOMMERCE);
            }
            long largest = frauds.stream().mapToLong(e -> e.transaction().getAmountMinor()).max().orElseThrow();
            assertThat(largest).isGreaterThanOrEqualTo(20_000);
            if (legitAmounts.size() >= 5) {
                withHistory++;
                Collections.sort(legitAmounts);
                if (largest > 5 * legitAmounts.get(legitAmounts.size() / 2)) {
                    unusuallyLarge++;
                }
            }
        }
        assertThat((double) unusuallyLarge / withHistory)
                .as("largest above 5x the account's median")
                .isGreaterThan(0.9);
        // Phishing targets older customers: 22% of the customers, more of the victims.
        assertThat((double) olderVictims / takeovers.size()).isGreaterThan(0.25);
    }

    @Test
    void aCompromisedMerchantCapturesManyCardsThatAreDefraudedElsewhereLater() {
        List<FraudEpisode> waves = episodes(FraudPattern.MERCHANT_COMPROMISE);
        assertThat(waves).isNotEmpty();
        int wavesSeenWhole = 0;
        for (FraudEpisode wave : waves) {
            List<FraudEvent> events = byEpisode.getOrDefault(wave.id(), List.of());
            List<FraudEvent> captures = events.stream().filter(e -> e.truth().compromisePoint()).toList();
            List<FraudEvent> frauds = frauds(wave);
            for (FraudEvent capture : captures) {
                assertThat(capture.transaction().getMerchantId()).isEqualTo(wave.merchantId());
            }
            for (FraudEvent fraud : frauds) {
                String card = fraud.transaction().getCardId();
                assertThat(fraud.transaction().getMerchantId()).isNotEqualTo(wave.merchantId());
                captures.stream()
                        .filter(c -> c.transaction().getCardId().equals(card))
                        .forEach(c -> assertThat(c.eventTimeMillis()).isLessThan(fraud.eventTimeMillis()));
            }
            if (!frauds.isEmpty()) {
                long cashOut = frauds.get(frauds.size() - 1).eventTimeMillis() - frauds.get(0).eventTimeMillis();
                assertThat(cashOut).as("cash-out within two days").isLessThanOrEqualTo(48 * HOUR);
            }
            if (wave.start().isAfter(simulator.config().start()) && wave.end().isBefore(simulator.config().end())) {
                wavesSeenWhole++;
                // Many cards seen at one merchant within days, then fraud on them elsewhere.
                assertThat(captures.stream().map(c -> c.transaction().getCardId()).distinct().count())
                        .isGreaterThanOrEqualTo(8);
                long window = captures.get(captures.size() - 1).eventTimeMillis() - captures.get(0).eventTimeMillis();
                assertThat(window).isLessThanOrEqualTo(4 * 24 * HOUR);
                assertThat(frauds.stream().map(e -> e.transaction().getCardId()).distinct().count())
                        .isEqualTo(wave.cardIds().size());
            }
        }
        assertThat(wavesSeenWhole).isPositive();
    }

    @Test
    void theDigitalGoodsDrainStartsAtTheSwitchAndLooksUnlikeTheOldPatterns() {
        List<FraudEvent> drain = transactions.stream()
                .filter(e -> e.truth().pattern() == FraudPattern.DIGITAL_GOODS_DRAIN)
                .toList();
        assertThat(drain).hasSizeGreaterThan(50);
        Set<String> seenDevices = new HashSet<>();
        for (FraudEvent e : drain) {
            Transaction t = e.transaction();
            assertThat(e.eventTimeMillis()).isGreaterThanOrEqualTo(newPatternAt.toEpochMilli());
            assertThat(AccountProfile.localHour(e.eventTimeMillis(), 0)).isBetween(0, FraudPlanner.DGD_LAST_HOUR - 1);
            assertThat(t.getMerchantCountry()).isEqualTo(t.getHomeCountry());
            assertThat(t.getMcc()).isIn("5815", "5816");
            assertThat(t.getAmountMinor()).isBetween(499L, 2499L);
            assertThat(t.getChannel()).isEqualTo(Channel.ECOMMERCE);
            seenDevices.add(t.getDeviceId());
        }
        // A few devices drain many accounts.
        Set<String> drainedAccounts = drain.stream().map(FraudEvent::key).collect(Collectors.toSet());
        assertThat(seenDevices.size()).isLessThan(drainedAccounts.size());
        for (FraudEpisode episode : episodes(FraudPattern.DIGITAL_GOODS_DRAIN)) {
            List<FraudEvent> frauds = frauds(episode);
            if (frauds.isEmpty()) {
                continue;
            }
            long first = frauds.get(0).eventTimeMillis();
            boolean deviceKnown = byAccount.get(frauds.get(0).key()).stream()
                    .filter(e -> e.eventTimeMillis() < first)
                    .anyMatch(e -> episode.deviceId().equals(e.transaction().getDeviceId()));
            assertThat(deviceKnown).as("the drain's device is new to the account").isFalse();
        }
    }
}
