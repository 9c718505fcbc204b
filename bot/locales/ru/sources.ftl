# Where candidates come from: /stats by source (bot/rendering/stats.py), the QR poster.
stats-button = 🧭 По источникам
stats-title = <b>Воронка по источникам</b> · { $period }
stats-none = без источника
stats-step-started = начали
stats-step-applied = отклик
stats-step-invited = приглашены
stats-step-booked = запись
stats-step-attended = пришли
stats-step-hired = приняты
stats-passed = Прошли этапы: { $stages }
stats-hire_time = Медиана от отклика до найма: { $days } { $days ->
        [one] день
        [few] дня
        [many] дней
       *[other] дня
    }
stats-no_hires = Наймов за период нет.
poster-scan = Наведите камеру телефона на код, чтобы открыть вакансию в Telegram
