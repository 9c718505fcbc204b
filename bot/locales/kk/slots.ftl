# HR's /slots: opening interview, fitness-test and medical-commission slots.
private_only = Слоттар мен кесте ботпен жеке чатта ашылады: маған /slots немесе /agenda деп жазыңыз.
cancelled = Слоттарды құру тоқтатылды. Қайта бастау: /slots.
created = ✅ { $count ->
    [one] { $count } слот құрылды
   *[other] { $count } слот құрылды
}. Күн кестесі: /agenda.
online = онлайн: { $url }
serves_everyone = барлық лауазымдар мен бөлімдер
serves_department = { $department }, барлық лауазымдар
serves_positions = { $department }: { $positions }

prompt-stage = <b>🗓 Жаңа слоттар</b> · 1-қадам
    Қай кезеңге?
prompt-day = <b>🗓 Жаңа слоттар</b> · 2-қадам
    Күнді таңдаңыз (Алматы уақыты):
prompt-time = <b>🗓 Жаңа слоттар</b> · 3-қадам
    Қай уақытта басталады? Уақытты жазыңыз, мысалы <code>10:00</code>.
prompt-duration = <b>🗓 Жаңа слоттар</b> · 4-қадам
    Бір слот қанша уақытқа созылады?
prompt-place = <b>🗓 Жаңа слоттар</b> · 5-қадам
    Қайда? Мекенжайды (мысалы «Төле би к-сі, 112, 5-каб.») немесе онлайн кездесу сілтемесін (https://…) жазыңыз.
prompt-location = <b>🗓 Жаңа слоттар</b> · 5-қадам
    Үміткерлер орынды табуы үшін картадағы нүктені жіберіңіз (📎 → Геолокация) немесе өткізіп жіберіңіз.
prompt-capacity = <b>🗓 Жаңа слоттар</b> · 6-қадам
    Бір слотта неше адам? Таңдаңыз немесе 1-ден 50-ге дейінгі санды жазыңыз.
prompt-serves = <b>🗓 Жаңа слоттар</b> · 7-қадам
    Бұл слоттар кімге арналған?
prompt-positions = <b>🗓 Жаңа слоттар</b> · 7-қадам
    { $department }: қай лауазымдар үшін? Керектерін белгілеңіз немесе бөлімнің барлық лауазымдарын қалдырыңыз.
prompt-repeat = <b>🗓 Жаңа слоттар</b> · 8-қадам
    Бір рет пе, әлде қайталау керек пе?
prompt-days = <b>🗓 Жаңа слоттар</b> · 8-қадам
    Апта күндерін белгілеңіз:
prompt-until = <b>🗓 Жаңа слоттар</b> · 9-қадам
    Қай күнге дейін қайталау керек (қоса алғанда)?
prompt-end_time = <b>🗓 Жаңа слоттар</b> · 10-қадам
    Күн сайын сағат нешеге дейін? Аяқталу уақытын жазыңыз, мысалы <code>12:00</code>.
prompt-step = <b>🗓 Жаңа слоттар</b> · 11-қадам
    Слоттар қаншалықты жиі басталады?

button-minutes = { $n } мин
button-number = { $n }
button-every = әр { $n } мин
button-skip = Картадағы нүктесіз »
button-everyone = Барлық лауазымдар мен бөлімдер
button-all_positions = Бөлімнің барлық лауазымдары »
button-once = Бір рет
button-weekdays = Әр жұмыс күні (дс–жм)
button-choose_days = Апта күндерін таңдау
button-done = Дайын ({ $count })
button-create = ✅ Құру

summary-once = { $day }, { $start }
summary-repeated = { $first } – { $last } ({ $days }), { $start }–{ $end }, әр { $step } мин
summary-text = <b>🗓 Слоттарды тексеріңіз</b>
    Кезең: { $stage }
    Қашан: { $when }
    Ұзақтығы: { $duration } мин
    Орын: { $place }
    Слотта: { $capacity } { $capacity ->
        [one] орын
       *[other] орын
    }
    Кімге: { $serves }

    { $count ->
        [one] <b>{ $count } слот</b> құрылады.
       *[other] <b>{ $count } слот</b> құрылады.
    }

weekday-mon = дс
weekday-tue = сс
weekday-wed = ср
weekday-thu = бс
weekday-fri = жм
weekday-sat = сн
weekday-sun = жс
month-jan = Қаңтар
month-feb = Ақпан
month-mar = Наурыз
month-apr = Сәуір
month-may = Мамыр
month-jun = Маусым
month-jul = Шілде
month-aug = Тамыз
month-sep = Қыркүйек
month-oct = Қазан
month-nov = Қараша
month-dec = Желтоқсан

error-in_past = { $when } слоты өтіп кеткен.
error-overlap = { $when } слоты сол орындағы басқа слотпен қабаттасады ({ $other } басталады).
error-bad_capacity = Слотта 1-ден 50-ге дейін адам болуы мүмкін — санды жазыңыз, мысалы 5.
error-too_short = Слот тым қысқа.
error-too_long = Слот 8 сағаттан ұзақ болмайды.
error-no_place = Мекенжайды немесе онлайн кездесу сілтемесін көрсетіңіз.
error-address_too_long = Мекенжай тым ұзын: 300 таңбадан аспауы керек.
error-bad_location = Картадағы бұл нүкте жарамайды — басқасын жіберіңіз немесе өткізіп жіберіңіз.
error-bad_link = Сілтеме https:// деп басталып, бос орынсыз болуы керек.
error-bad_range = Аяқталуы басталуынан кейін болуы керек.
error-no_days = Кемінде бір апта күнін белгілеңіз.
error-no_positions = Кемінде бір лауазымды белгілеңіз немесе «Бөлімнің барлық лауазымдары» батырмасын басыңыз.
error-bad_step = Мұндай қадам жарамайды.
error-too_many = Бір мезетте слоттар тым көп (500-ден аспауы және 3 айдан ұзақ болмауы керек) — кезеңді қысқартыңыз.
error-empty = Бұл ережелер бойынша бірде-бір слот шықпайды: күндер мен уақытты тексеріңіз.
error-bad_time = Уақытты түсінбедім. Сағат пен минутты жазыңыз, мысалы <code>10:00</code>.
error-time_passed = Бүгін бұл уақыт өтіп кетті — кешірек уақытты жазыңыз.
error-not_text = Мұнда мәтін керек.
error-not_location = Картадағы нүктені жіберіңіз (📎 → Геолокация) немесе «Картадағы нүктесіз» түймесін басыңыз.
error-past_day = Бұл күн өтіп кетті — бүгінгі немесе келесі күнді таңдаңыз.
error-before_first_day = Соңғы күн алғашқы күннен бұрын болмайды.
error-end_before_start = Аяқталуы басталуынан кейін болуы керек — кешірек уақытты жазыңыз.
error-use_buttons = Төмендегі түймемен таңдаңыз.
error-no_stage = Бұл кезең енді жоқ — басқасын таңдаңыз: /slots.
error-more = …және тағы { $count } { $count ->
    [one] қате
   *[other] қате
}.
