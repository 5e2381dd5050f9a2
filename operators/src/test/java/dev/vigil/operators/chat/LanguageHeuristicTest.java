package dev.vigil.operators.chat;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class LanguageHeuristicTest {

    @ParameterizedTest
    @ValueSource(strings = {
        "Can I move my appointment to Friday?",
        "I have crushing chest pain and my left arm is numb.",
        "The invoice from Señor Müller's clinic is wrong, please have someone call me.",
        "ok",
        "12345",
        "Thanks!"
    })
    void englishIsInScope(String text) {
        assertThat(LanguageHeuristic.isForeign(text)).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "¿Puedo cambiar mi cita para el lunes?",
        "Bonjour, je voudrais changer mon rendez-vous de mardi.",
        "Ich möchte meinen Termin am Freitag absagen.",
        "Preciso falar com alguém sobre a minha conta.",
        "Ik wil mijn afspraak verzetten naar volgende week.",
        "Я хочу перенести приём на следующую неделю.",
        "我想预约下周的门诊",
        "أريد تغيير موعدي مع الطبيب",
        "मुझे अपनी दवा की नई पर्ची चाहिए"
    })
    void otherLanguagesAreForeign(String text) {
        assertThat(LanguageHeuristic.isForeign(text)).isTrue();
    }
}
