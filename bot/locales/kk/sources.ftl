# Where candidates come from: /stats by source (bot/rendering/stats.py), the QR poster.
stats-button = 🧭 Дереккөздер бойынша
stats-title = <b>Дереккөздер бойынша воронка</b> · { $period }
stats-none = дереккөзсіз
stats-step-started = бастады
stats-step-applied = өтінім
stats-step-invited = шақырылды
stats-step-booked = жазылды
stats-step-attended = келді
stats-step-hired = қабылданды
stats-passed = Өткен кезеңдер: { $stages }
stats-hire_time = Өтінімнен жұмысқа қабылдауға дейінгі медиана: { $days } { $days ->
        [one] күн
       *[other] күн
    }
stats-no_hires = Бұл кезеңде ешкім қабылданған жоқ.
poster-scan = Бос орынды Telegram-да ашу үшін телефон камерасын кодқа бағыттаңыз
