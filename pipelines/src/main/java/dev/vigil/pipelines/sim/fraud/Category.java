package dev.vigil.pipelines.sim.fraud;

/**
 * The merchant categories the simulator uses, by ISO 18245 merchant category code, with what a typical customer of a
 * European retail bank spends there: a log-normal amount (median and log-scale sigma, in euros), the share of the
 * customer's transactions that fall in the category, the share made online, the hours of the day they happen, and
 * how many merchants of the category there are per thousand customers. Medians and shares are round figures in line
 * with European card-payment statistics (many small grocery, transport and food payments; few large ones).
 */
enum Category {
    GROCERY("5411", 32, 0.75, 0.24, 0.03, Rhythm.SHOPS, Rhythm.ONLINE, 4.0, false),
    RESTAURANTS("5812", 30, 0.60, 0.08, 0.05, Rhythm.MEALS, Rhythm.ONLINE, 10.0, false),
    FAST_FOOD("5814", 9, 0.50, 0.09, 0.15, Rhythm.MEALS, Rhythm.MEALS, 6.0, false),
    FUEL("5541", 55, 0.35, 0.06, 0.0, Rhythm.ALL_DAY, Rhythm.ONLINE, 3.0, false),
    PHARMACY("5912", 17, 0.65, 0.04, 0.10, Rhythm.SHOPS, Rhythm.ONLINE, 2.0, false),
    DEPARTMENT_STORES("5311", 55, 0.85, 0.04, 0.25, Rhythm.SHOPS, Rhythm.ONLINE, 0.8, true),
    CLOTHING("5651", 60, 0.70, 0.05, 0.45, Rhythm.SHOPS, Rhythm.ONLINE, 4.0, true),
    ELECTRONICS("5732", 110, 1.00, 0.02, 0.55, Rhythm.SHOPS, Rhythm.ONLINE, 1.0, true),
    BOOKS("5942", 18, 0.50, 0.015, 0.50, Rhythm.SHOPS, Rhythm.ONLINE, 1.0, true),
    TOYS_AND_HOBBY("5945", 35, 0.70, 0.01, 0.40, Rhythm.SHOPS, Rhythm.ONLINE, 1.0, true),
    MISC_RETAIL("5999", 28, 0.90, 0.05, 0.55, Rhythm.SHOPS, Rhythm.ONLINE, 6.0, true),
    TRANSIT("4111", 3.2, 0.45, 0.07, 0.10, Rhythm.COMMUTE, Rhythm.COMMUTE, 0.2, false),
    TAXI("4121", 21, 0.50, 0.02, 0.60, Rhythm.NIGHTLIFE, Rhythm.NIGHTLIFE, 1.0, false),
    AIRLINES("4511", 190, 0.70, 0.004, 0.95, Rhythm.ALL_DAY, Rhythm.ONLINE, 0.5, false),
    HOTELS("7011", 160, 0.60, 0.006, 0.70, Rhythm.ALL_DAY, Rhythm.ONLINE, 3.0, false),
    DIGITAL_MEDIA("5815", 9, 0.60, 0.02, 1.0, Rhythm.ONLINE, Rhythm.LATE, 0.5, false),
    DIGITAL_GAMES("5816", 14, 0.90, 0.012, 1.0, Rhythm.ONLINE, Rhythm.LATE, 0.5, false),
    BETTING("7995", 25, 1.00, 0.005, 1.0, Rhythm.ONLINE, Rhythm.LATE, 0.5, false),
    JEWELRY("5944", 180, 0.90, 0.003, 0.30, Rhythm.SHOPS, Rhythm.ONLINE, 1.0, true),
    ATM("6011", 80, 0.60, 0.035, 0.0, Rhythm.ALL_DAY, Rhythm.ALL_DAY, 3.0, false),
    MONEY_TRANSFER("4829", 150, 0.90, 0.004, 0.90, Rhythm.SHOPS, Rhythm.ONLINE, 0.5, false),
    TELECOM("4814", 28, 0.40, 0.01, 0.80, Rhythm.SHOPS, Rhythm.ONLINE, 0.3, false),
    UTILITIES("4900", 85, 0.50, 0.004, 0.90, Rhythm.SHOPS, Rhythm.ONLINE, 0.3, false),
    CHARITY("8398", 20, 0.80, 0.003, 0.90, Rhythm.SHOPS, Rhythm.ONLINE, 2.0, false);

    static final Category[] ALL = values();
    static final int COUNT = ALL.length;

    /** The four-digit MCC. */
    final String mcc;
    /** Median amount in euros. */
    final double medianEur;
    /** Standard deviation of the log amount. */
    final double sigma;
    /** Share of a typical customer's transactions, before per-customer variation (normalised over categories). */
    final double weight;
    /** Share of the category's transactions made online by a typical customer. */
    final double onlineShare;
    /** Hours of in-person transactions. */
    final Rhythm inPerson;
    /** Hours of online transactions. */
    final Rhythm online;
    /** Merchants per thousand customers in a market country. */
    final double merchantsPerThousand;
    /** Whether holiday shopping boosts the category (covariate drift). */
    final boolean seasonal;

    Category(
            String mcc,
            double medianEur,
            double sigma,
            double weight,
            double onlineShare,
            Rhythm inPerson,
            Rhythm online,
            double merchantsPerThousand,
            boolean seasonal) {
        this.mcc = mcc;
        this.medianEur = medianEur;
        this.sigma = sigma;
        this.weight = weight;
        this.onlineShare = onlineShare;
        this.inPerson = inPerson;
        this.online = online;
        this.merchantsPerThousand = merchantsPerThousand;
        this.seasonal = seasonal;
    }

    /** Whether the category exists only online (no terminals). */
    boolean onlineOnly() {
        return onlineShare >= 1.0;
    }

    /** Whether the category exists only in person (fuel, cash). */
    boolean inPersonOnly() {
        return onlineShare <= 0.0;
    }

    /**
     * Relative intensity of transactions over the local hours of a day; every rhythm has mean 1 over the 24 hours, so
     * mixing rhythms with weights that sum to 1 keeps the daily total.
     */
    enum Rhythm {
        SHOPS(0.02, 0.01, 0.01, 0.01, 0.01, 0.02, 0.10, 0.35, 0.70, 0.95, 1.15, 1.30, 1.35, 1.25, 1.15, 1.15, 1.30,
                1.50, 1.45, 1.05, 0.60, 0.30, 0.12, 0.05),
        MEALS(0.05, 0.03, 0.02, 0.01, 0.01, 0.02, 0.10, 0.35, 0.50, 0.40, 0.45, 1.20, 1.90, 1.30, 0.50, 0.45, 0.60,
                1.00, 1.80, 2.10, 1.60, 0.90, 0.45, 0.15),
        COMMUTE(0.05, 0.02, 0.01, 0.01, 0.05, 0.30, 1.20, 2.60, 2.40, 1.00, 0.60, 0.60, 0.70, 0.60, 0.60, 0.90, 1.60,
                2.40, 2.00, 1.00, 0.60, 0.50, 0.35, 0.15),
        NIGHTLIFE(0.90, 0.80, 0.60, 0.30, 0.15, 0.15, 0.30, 0.60, 0.80, 0.60, 0.50, 0.60, 0.70, 0.60, 0.60, 0.70, 0.90,
                1.10, 1.20, 1.20, 1.30, 1.40, 1.50, 1.30),
        ALL_DAY(0.10, 0.05, 0.04, 0.04, 0.06, 0.20, 0.60, 1.00, 1.10, 1.10, 1.15, 1.20, 1.30, 1.25, 1.20, 1.20, 1.30,
                1.45, 1.40, 1.20, 0.90, 0.60, 0.35, 0.20),
        ONLINE(0.25, 0.12, 0.06, 0.04, 0.04, 0.06, 0.20, 0.45, 0.70, 0.85, 0.95, 1.00, 1.05, 1.00, 0.95, 0.95, 1.00,
                1.10, 1.30, 1.60, 1.90, 1.90, 1.50, 0.80),
        LATE(0.90, 0.60, 0.35, 0.20, 0.10, 0.08, 0.10, 0.20, 0.30, 0.40, 0.50, 0.60, 0.70, 0.70, 0.70, 0.80, 1.00,
                1.20, 1.40, 1.60, 1.90, 2.10, 2.00, 1.60);

        /** Intensity per local hour, mean 1. */
        final double[] byHour;

        Rhythm(double... raw) {
            double sum = 0;
            for (double r : raw) {
                sum += r;
            }
            byHour = new double[24];
            for (int h = 0; h < 24; h++) {
                byHour[h] = raw[h] * 24 / sum;
            }
        }
    }
}
