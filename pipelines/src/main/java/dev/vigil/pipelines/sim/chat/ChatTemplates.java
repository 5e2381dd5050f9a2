package dev.vigil.pipelines.sim.chat;

import dev.vigil.operators.chat.TriageClass;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The message templates of the chat corpus: patient-portal and customer-support messages for each {@link TriageClass},
 * with {@code {slot}} placeholders filled from {@link #SLOTS} and {@code [a|b|c]} alternatives (one is chosen; an empty
 * alternative drops the part). Out-of-scope templates are written in eleven languages other than English.
 *
 * <p>A template's id is {@code <class label>/<index>}; the corpus holds templates out by id, so a held-out message
 * shares no template with any training message (only slot values and common words).
 */
public final class ChatTemplates {

    /** One template of one class. */
    public record Template(String id, TriageClass triageClass, String text) {}

    static final Map<String, List<String>> SLOTS = Map.ofEntries(
            Map.entry("appointment", List.of("appointment", "check-up", "follow-up visit", "blood test",
                    "dental cleaning", "physio session", "vaccination", "consultation")),
            Map.entry("day", List.of("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "next week",
                    "the 14th", "tomorrow afternoon", "Saturday morning")),
            Map.entry("place", List.of("clinic", "pharmacy", "lab", "branch", "front desk", "radiology department",
                    "walk-in centre", "office")),
            Map.entry("medication", List.of("metformin", "lisinopril", "insulin", "amoxicillin", "warfarin",
                    "sertraline", "inhaler", "blood pressure", "thyroid")),
            Map.entry("detail", List.of("address", "phone number", "email", "emergency contact", "bank details",
                    "preferred pharmacy", "last name")),
            Map.entry("document", List.of("lab results", "invoice", "statement", "discharge letter", "referral",
                    "sick note", "receipt", "vaccination record", "care plan")),
            Map.entry("period", List.of("month", "week", "year", "quarter")),
            Map.entry("insurer", List.of("Aetna", "Cigna", "Blue Cross", "Medicare", "UnitedHealthcare")),
            Map.entry("service", List.of("an MRI", "the X-ray", "physiotherapy", "the eye exam", "my last visit",
                    "the ambulance", "the subscription", "the annual plan")),
            Map.entry("request", List.of("refund", "referral", "records request", "claim", "transfer",
                    "account change", "repeat prescription")),
            Map.entry("bill", List.of("bill", "invoice", "statement", "account", "premium")),
            Map.entry("count", List.of("two", "three", "four", "five", "ten", "several")),
            Map.entry("ordinal", List.of("third", "fourth", "fifth", "tenth")),
            Map.entry("relative", List.of("mother", "father", "grandmother", "grandfather", "husband", "wife",
                    "son", "daughter", "neighbour", "aunt")),
            Map.entry("symptom", List.of("crushing chest pain", "trouble breathing", "slurred speech",
                    "a sudden severe headache", "heavy bleeding", "numbness on one side", "blue lips")),
            Map.entry("symptom2", List.of("my left arm is numb", "I feel like I might pass out",
                    "my face is drooping", "I'm sweating and dizzy", "I can't stop vomiting")),
            Map.entry("temp", List.of("40 degrees", "104 F", "41 C", "39.8")),
            Map.entry("amount", List.of("$500", "$2,000", "$9,800", "£1,200", "€3,000", "$15,000", "all her savings")),
            Map.entry("dia", List.of("lunes", "martes", "viernes", "la próxima semana", "mañana")),
            Map.entry("jour", List.of("lundi", "mardi", "vendredi", "la semaine prochaine", "demain")),
            Map.entry("tag", List.of("Montag", "Dienstag", "Freitag", "nächste Woche", "morgen")));

    /** The templates in a fixed order; the index in each class is part of the id. */
    public static final List<Template> ALL = build();

    private ChatTemplates() {}

    private static List<Template> build() {
        List<Template> all = new ArrayList<>();
        add(all, TriageClass.ROUTINE,
                "[Hi, |Hello, |]can I move my {appointment} to {day}?",
                "What time does the {place} open on {day}?",
                "I need a refill of my {medication} prescription[, I have {count} pills left|].",
                "How do I update my {detail} in the [portal|app|account settings]?",
                "Where can I find my {document} from last {period}?",
                "Is there parking near the {place}[ for visitors|]?",
                "Please [send|email] me a copy of my {document}.",
                "Thanks, the {document} arrived and everything looks [fine|correct|good].",
                "Do you accept {insurer} insurance for {service}?",
                "I'd like to cancel my {appointment} on {day}[, I will book another one later|].",
                "How long does it usually take to process a {request}?",
                "Can you remind me what I need to bring to my {appointment}?");
        add(all, TriageClass.NEEDS_HUMAN,
                "I want to speak to a real person about my {bill}[, the bot keeps giving me the wrong answer|].",
                "I was charged twice for {service} and nobody has called me back after {count} days.",
                "My {document} has the wrong [diagnosis|date of birth|medication] on it and I need someone to"
                        + " correct it.",
                "I'm really frustrated, this is the {ordinal} time I'm asking about my {request}.",
                "The doctor said my results were normal but the {document} says otherwise, can someone explain?",
                "I want to file a formal complaint about how I was treated at the {place}.",
                "My insurance claim for {service} was denied and I don't understand why, please have someone"
                        + " review it.",
                "Can a nurse call me back to discuss my new {medication} dose? I'm not sure how to take it.",
                "There is a billing error on my {bill}: you applied a late fee although I paid on time.",
                "My {relative}'s account is locked and I need help from someone to get access back.",
                "Your website keeps rejecting my payment for the {bill}, I need to talk to an agent.",
                "I got two different answers from your staff about my {request}; I need a supervisor.");
        add(all, TriageClass.URGENT_SAFETY,
                "I have {symptom} and {symptom2} right now, what should I do?",
                "My {relative} [collapsed|fell and hit their head] and is not responding.",
                "I took {count} of my {medication} pills by mistake and [feel dizzy|can't stay awake].",
                "I don't want to live anymore and I have been thinking about ending it[ tonight|].",
                "After starting {medication} my face and throat are swelling and it's hard to breathe.",
                "My {relative} has a fever of {temp} and is having a seizure.",
                "Someone called my {relative} pretending to be from the bank and she gave them her card number,"
                        + " money is leaving her account right now.",
                "My {relative}'s caregiver has been taking money from her account without permission, {amount} is"
                        + " gone.",
                "A man on the phone says he is from the tax office and I must pay {amount} in gift cards today or"
                        + " be arrested.",
                "My nephew is forcing me to sign over my savings and keeps taking my bank card.",
                "I just noticed {count} transfers I never made, {amount} is gone from my account[ and it keeps"
                        + " happening|].",
                "He threatened to hurt me if I don't send him {amount} by tonight.");
        add(all, TriageClass.OUT_OF_SCOPE,
                "[Hola, |]¿puedo cambiar mi cita para el {dia}?",
                "Necesito una nueva receta, ya no me quedan pastillas.",
                "Bonjour, je voudrais changer mon rendez-vous de {jour}.",
                "Ma facture est incorrecte, pouvez-vous m'aider s'il vous plaît ?",
                "Ich möchte meinen Termin am {tag} absagen.",
                "Wo finde ich meine Laborergebnisse? Ich habe keine E-Mail bekommen.",
                "Preciso falar com alguém sobre a minha conta, fui cobrado duas vezes.",
                "Vorrei prenotare una visita per la prossima settimana.",
                "Ik wil mijn afspraak verzetten naar volgende week.",
                "Chciałbym zmienić termin wizyty u lekarza.",
                "Я хочу перенести приём на следующую неделю.",
                "我想预约下周的门诊，请问还有时间吗？",
                "أريد تغيير موعدي مع الطبيب من فضلك.",
                "मुझे अपनी दवा की नई पर्ची चाहिए।",
                "Randevumu gelecek haftaya almak istiyorum.",
                "Me duele mucho el pecho y no puedo respirar bien.");
        return List.copyOf(all);
    }

    private static void add(List<Template> all, TriageClass c, String... texts) {
        for (int i = 0; i < texts.length; i++) {
            all.add(new Template(c.label() + "/" + i, c, texts[i]));
        }
    }

    /** {@code template} with every {@code [a|b]} resolved and every {@code {slot}} filled, drawing from {@code rng}. */
    static String fill(String template, SplittableRandom rng) {
        StringBuilder chosen = new StringBuilder(template.length());
        int i = 0;
        while (i < template.length()) {
            char c = template.charAt(i);
            if (c == '[') {
                int end = template.indexOf(']', i);
                String[] options = template.substring(i + 1, end).split("\\|", -1);
                chosen.append(options[rng.nextInt(options.length)]);
                i = end + 1;
            } else {
                chosen.append(c);
                i++;
            }
        }
        StringBuilder out = new StringBuilder(chosen.length() + 32);
        i = 0;
        while (i < chosen.length()) {
            char c = chosen.charAt(i);
            if (c == '{') {
                int end = chosen.indexOf("}", i);
                String slot = chosen.substring(i + 1, end);
                List<String> values = SLOTS.get(slot);
                if (values == null) {
                    throw new IllegalStateException("template uses unknown slot {" + slot + "}: " + template);
                }
                out.append(values.get(rng.nextInt(values.size())));
                i = end + 1;
            } else {
                out.append(c);
                i++;
            }
        }
        return out.toString();
    }
}
