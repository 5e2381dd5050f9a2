package dev.vigil.pipelines.sim.fraud;

import java.util.List;
import java.util.SplittableRandom;

/**
 * One customer's habits, drawn once from the seed: how often and when they pay, where (categories, favourite
 * merchants, home country, trips), how much, online or in person, and on which devices.
 *
 * <p>Transactions of a customer form a non-homogeneous Poisson process with intensity {@code transactionsPerDay x
 * dayOfWeek(t) x hourly(t)}, where {@code hourly} mixes the categories' in-person and online {@link Category.Rhythm
 * rhythms} with the customer's category weights, shifted by the customer's chronotype; the category of a transaction
 * is drawn in proportion to its share of the intensity at that hour, so the time of day and the category are
 * consistent (no groceries at 3 a.m.; game credits late in the evening).
 */
final class AccountProfile {
    static final String[] AGE_BANDS = {"18-24", "25-34", "35-49", "50-64", "65+"};
    static final String[] REGIONS = {"CAPITAL", "URBAN", "RURAL", "BORDER"};
    static final int AGE_65_PLUS = 4;
    static final int BORDER = 3;

    /** Customers live in Central European Time; the simulator ignores daylight saving. */
    static final long LOCAL_OFFSET_MILLIS = 3_600_000L;

    static final long HOUR = 3_600_000L;
    static final long DAY = 24 * HOUR;

    /** Relative intensity Monday to Sunday, mean 1 (more on Friday and Saturday, least on Sunday). */
    static final double[] DAY_OF_WEEK = normalise(0.95, 0.95, 0.97, 1.00, 1.12, 1.15, 0.86);

    private static final double MAX_DAY_OF_WEEK = max(DAY_OF_WEEK);

    /** Holiday season: overall intensity factor. */
    static final double HOLIDAY_RATE = 1.25;
    /** Holiday season: weight factor of the {@link Category#seasonal seasonal} categories before renormalising. */
    static final double HOLIDAY_CATEGORY_BOOST = 2.0;
    /** Holiday season: added online share of seasonal categories. */
    static final double HOLIDAY_ONLINE_BOOST = 0.15;
    /** Holiday season: amount factor of seasonal categories. */
    static final double HOLIDAY_AMOUNT = 1.25;

    private static final double[] AGE_SHARE = {0.11, 0.17, 0.25, 0.25, 0.22};
    private static final double[] REGION_SHARE = {0.18, 0.42, 0.30, 0.10};
    private static final double[] RATE_BY_AGE = {1.5, 1.7, 1.6, 1.4, 1.05};
    private static final double[] ECOMMERCE_BY_AGE = {1.35, 1.30, 1.05, 0.75, 0.40};
    private static final double[] CONTACTLESS_BY_AGE = {0.90, 0.88, 0.82, 0.72, 0.55};
    private static final double[] WALLET_BY_AGE = {0.60, 0.55, 0.40, 0.22, 0.08};
    private static final double[] AMOUNT_BY_AGE = {0.75, 0.95, 1.10, 1.10, 0.95};
    private static final double[] TRIPS_BY_REGION = {3.0, 2.0, 1.2, 2.2};
    private static final double[] TRIPS_BY_AGE = {1.1, 1.2, 1.0, 1.0, 0.8};
    // Share of customers who use a category at all.
    private static final double[] CAR_BY_REGION = {0.35, 0.60, 0.85, 0.75};
    private static final double[] TRANSIT_BY_REGION = {0.85, 0.55, 0.20, 0.30};
    private static final double[] TAXI_BY_REGION = {0.70, 0.50, 0.25, 0.35};
    private static final double[] GAMING_BY_AGE = {0.60, 0.45, 0.30, 0.12, 0.05};

    final int index;
    final String accountId;
    final String[] cardIds;
    final int ageBand;
    final int region;
    final int homeCountry;
    final int cardCountry;
    final double transactionsPerDay;
    /** Hours by which the customer's day is later (positive) or earlier than the typical rhythm. */
    final double chronotypeHours;
    /** Category weights outside the season, summing to 1. */
    final float[] weight;
    /** Online share per category outside the season. */
    final float[] online;
    /** Sum of the category weights with the holiday boost, before renormalising. */
    final double holidayWeightSum;
    /** Upper bound of {@code dayOfWeek x season x hourly} over all times, for thinning. */
    final double peakIntensity;
    final double ecommerceFactor;
    final double amountScale;
    /** Probability that an in-person or domestic online payment goes to one of the customer's regular merchants. */
    final double loyalty;
    final double contactlessShare;
    final boolean mobileWallet;
    final int devices;
    final double tripsPerYear;
    final Subscription[] subscriptions;

    /** A monthly merchant-initiated payment: same merchant, same amount, same day. */
    record Subscription(int merchant, Category category, long amountMinor, int dayOfMonth, int minuteOfDay) {}

    AccountProfile(int index, SplittableRandom rng, Merchants merchants) {
        this.index = index;
        this.accountId = Ids.account(index);
        this.ageBand = pick(rng, AGE_SHARE);
        this.region = pick(rng, REGION_SHARE);
        this.homeCountry = Geography.market(rng);
        this.cardCountry = rng.nextDouble() < 0.04 ? Geography.marketOtherThan(rng, homeCountry) : homeCountry;
        this.cardIds =
                rng.nextDouble() < 0.15
                        ? new String[] {Ids.card(index, 0), Ids.card(index, 1)}
                        : new String[] {Ids.card(index, 0)};
        this.transactionsPerDay = clamp(RATE_BY_AGE[ageBand] * Math.exp(0.55 * rng.nextGaussian()), 0.1, 12);
        this.chronotypeHours = clamp(1.2 * rng.nextGaussian() + (ageBand == 0 ? 1.0 : 0.0), -3, 4);
        this.ecommerceFactor = ECOMMERCE_BY_AGE[ageBand] * Math.exp(0.3 * rng.nextGaussian());
        this.amountScale = AMOUNT_BY_AGE[ageBand] * Math.exp(0.35 * rng.nextGaussian());
        this.loyalty = 0.55 + 0.35 * rng.nextDouble();
        this.contactlessShare = clamp(CONTACTLESS_BY_AGE[ageBand] + 0.16 * (rng.nextDouble() - 0.5), 0, 1);
        this.mobileWallet = rng.nextDouble() < WALLET_BY_AGE[ageBand];
        this.devices = 1 + (rng.nextDouble() < 0.5 ? 1 : 0) + (rng.nextDouble() < 0.15 ? 1 : 0);
        this.tripsPerYear =
                clamp(TRIPS_BY_REGION[region] * TRIPS_BY_AGE[ageBand] * Math.exp(0.5 * rng.nextGaussian()), 0, 12);

        double[] w = new double[Category.COUNT];
        double sum = 0;
        for (Category c : Category.ALL) {
            double own = ownership(c);
            double x = rng.nextDouble() < own ? c.weight * ageFactor(c) * gamma2(rng) : 0.0;
            w[c.ordinal()] = x;
            sum += x;
        }
        this.weight = new float[Category.COUNT];
        this.online = new float[Category.COUNT];
        double holidaySum = 0;
        for (Category c : Category.ALL) {
            int i = c.ordinal();
            weight[i] = (float) (w[i] / sum);
            if (c.onlineOnly() || c.inPersonOnly()) {
                online[i] = c.onlineOnly() ? 1f : 0f;
            } else {
                online[i] = (float) clamp(c.onlineShare * ecommerceFactor, 0, 0.98);
            }
            holidaySum += weight[i] * (c.seasonal ? HOLIDAY_CATEGORY_BOOST : 1.0);
        }
        this.holidayWeightSum = holidaySum;
        double peak = 0;
        for (int h = 0; h < 24; h++) {
            peak = Math.max(peak, hourly(h, false, null));
            peak = Math.max(peak, HOLIDAY_RATE * hourly(h, true, null));
        }
        this.peakIntensity = peak * MAX_DAY_OF_WEEK * 1.000001;
        this.subscriptions = subscriptions(rng, merchants);
    }

    /** The customer's public description. */
    Customer customer() {
        return new Customer(
                accountId,
                List.of(cardIds),
                AGE_BANDS[ageBand],
                REGIONS[region],
                Geography.CODES[homeCountry],
                Geography.CODES[cardCountry],
                transactionsPerDay,
                tripsPerYear);
    }

    /**
     * Intensity at a (chronotype-shifted) local hour relative to the daily mean: 1 on average over the day outside the
     * season. When {@code terms} is given, it receives each category's in-person intensity at {@code [2c]} and online
     * intensity at {@code [2c + 1]}.
     */
    double hourly(int hour, boolean holiday, double[] terms) {
        double total = 0;
        for (Category c : Category.ALL) {
            int i = c.ordinal();
            double w = weight[i];
            double o = online[i];
            if (holiday && c.seasonal) {
                w *= HOLIDAY_CATEGORY_BOOST;
                o = c.inPersonOnly() ? 0 : Math.min(0.98, o + HOLIDAY_ONLINE_BOOST);
            }
            if (holiday) {
                w /= holidayWeightSum;
            }
            double inPerson = w * (1 - o) * c.inPerson.byHour[hour];
            double onlineTerm = w * o * c.online.byHour[hour];
            if (terms != null) {
                terms[2 * i] = inPerson;
                terms[2 * i + 1] = onlineTerm;
            }
            total += inPerson + onlineTerm;
        }
        return total;
    }

    /** Number of regular merchants of a category in the home country: 1 to 3. */
    int favourites(long seed, Category category) {
        return 1 + (int) Math.floorMod(Seeds.derive(seed, Seeds.FAVOURITE, favouriteKey(category, 7)), 3L);
    }

    /** The {@code slot}-th regular merchant of a category in the home country. */
    int favourite(long seed, Merchants merchants, Category category, int slot) {
        return merchants.sample(homeCountry, category, Seeds.unit(seed, Seeds.FAVOURITE, favouriteKey(category, slot)));
    }

    private long favouriteKey(Category category, int slot) {
        return ((long) index << 12) | ((long) category.ordinal() << 4) | slot;
    }

    /** Device id of a slot: at device generation {@code g} the customer uses slots {@code g} to {@code g+devices-1}. */
    String device(long seed, int slot) {
        return Ids.device(Seeds.derive(seed, Seeds.DEVICE, ((long) index << 20) | slot));
    }

    private double ownership(Category c) {
        return switch (c) {
            case FUEL -> CAR_BY_REGION[region] * (ageBand == 0 ? 0.5 : 1.0);
            case TRANSIT -> TRANSIT_BY_REGION[region];
            case TAXI -> TAXI_BY_REGION[region];
            case BETTING -> ageBand <= 1 ? 0.15 : 0.08;
            case DIGITAL_GAMES -> GAMING_BY_AGE[ageBand];
            case CHARITY, JEWELRY -> 0.30;
            case MONEY_TRANSFER -> 0.12;
            case AIRLINES -> ageBand == AGE_65_PLUS ? 0.30 : 0.60;
            case HOTELS -> 0.60;
            default -> 1.0;
        };
    }

    private double ageFactor(Category c) {
        return switch (ageBand) {
            case 0 -> switch (c) {
                case FAST_FOOD -> 1.6;
                case TRANSIT -> 1.5;
                case DIGITAL_GAMES -> 2.0;
                case DIGITAL_MEDIA -> 1.5;
                case GROCERY -> 0.7;
                case PHARMACY -> 0.6;
                case UTILITIES -> 0.3;
                default -> 1.0;
            };
            case 1 -> switch (c) {
                case FAST_FOOD -> 1.3;
                case RESTAURANTS -> 1.2;
                case DIGITAL_MEDIA -> 1.2;
                default -> 1.0;
            };
            case AGE_65_PLUS -> switch (c) {
                case GROCERY -> 1.3;
                case PHARMACY -> 2.0;
                case BOOKS -> 1.4;
                case DIGITAL_MEDIA -> 0.3;
                case FAST_FOOD -> 0.5;
                case RESTAURANTS -> 0.9;
                default -> 1.0;
            };
            default -> 1.0;
        };
    }

    private Subscription[] subscriptions(SplittableRandom rng, Merchants merchants) {
        double u = rng.nextDouble();
        int n = u < 0.20 ? 0 : u < 0.55 ? 1 : u < 0.85 ? 2 : 3;
        Category[] kinds = {Category.DIGITAL_MEDIA, Category.TELECOM, Category.UTILITIES};
        for (int i = kinds.length - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            Category t = kinds[i];
            kinds[i] = kinds[j];
            kinds[j] = t;
        }
        Subscription[] out = new Subscription[n];
        for (int s = 0; s < n; s++) {
            Category c = kinds[s];
            int country = c == Category.DIGITAL_MEDIA ? Geography.onlineHub(rng) : homeCountry;
            int merchant = merchants.sample(country, c, rng.nextDouble());
            long amount =
                    switch (c) {
                        case DIGITAL_MEDIA -> new long[] {799, 999, 1199, 1399, 1799}[rng.nextInt(5)];
                        case TELECOM -> 1500 + 50L * rng.nextInt(61);
                        default -> 100L * (60 + rng.nextInt(121));
                    };
            out[s] = new Subscription(merchant, c, amount, 1 + rng.nextInt(28), 120 + rng.nextInt(300));
        }
        return out;
    }

    /** Sum of two unit exponentials over 2: Gamma(2, 1/2), mean 1; spreads the customers' category mixes. */
    private static double gamma2(SplittableRandom rng) {
        return -0.5 * (Math.log(1 - rng.nextDouble()) + Math.log(1 - rng.nextDouble()));
    }

    static int localHour(long epochMillis, double shiftHours) {
        double hours = (epochMillis + LOCAL_OFFSET_MILLIS) / (double) HOUR - shiftHours;
        return (int) Math.floorMod((long) Math.floor(hours), 24L);
    }

    /** Local day of the week, Monday = 0. */
    static int dayOfWeek(long epochMillis) {
        long day = Math.floorDiv(epochMillis + LOCAL_OFFSET_MILLIS, DAY);
        return (int) Math.floorMod(day + 3, 7L); // 1970-01-01 was a Thursday
    }

    /** Start of the next local midnight strictly after {@code epochMillis}. */
    static long nextLocalMidnight(long epochMillis) {
        long day = Math.floorDiv(epochMillis + LOCAL_OFFSET_MILLIS, DAY);
        return (day + 1) * DAY - LOCAL_OFFSET_MILLIS;
    }

    static int pick(SplittableRandom rng, double[] weights) {
        double u = rng.nextDouble();
        for (int i = 0; i < weights.length - 1; i++) {
            u -= weights[i];
            if (u < 0) {
                return i;
            }
        }
        return weights.length - 1;
    }

    static double clamp(double v, double lo, double hi) {
        return v < lo ? lo : Math.min(v, hi);
    }

    private static double[] normalise(double... raw) {
        double sum = 0;
        for (double r : raw) {
            sum += r;
        }
        double[] out = new double[raw.length];
        for (int i = 0; i < raw.length; i++) {
            out[i] = raw[i] * raw.length / sum;
        }
        return out;
    }

    private static double max(double[] values) {
        double m = Double.NEGATIVE_INFINITY;
        for (double v : values) {
            m = Math.max(m, v);
        }
        return m;
    }
}
