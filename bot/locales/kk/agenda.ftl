# HR's /agenda: a day's slots and who comes.
title = <b>📋 { $day } кестесі</b> · { $count } { $count ->
    [one] слот
   *[other] слот
}
empty = Бұл күні слоттар жоқ. Ашу: /slots.
slot = 🕒 <b>{ $time }–{ $end }</b> · { $stage } · { $place } · { $booked }/{ $capacity }
unconfirmed = ❓ Растамағандар: { $count }. ⚠️ — басталуына 2 сағаттан аз қалды.
slot_title = <b>Слот: { $day }</b>
nobody = Әзірге ешкім жазылған жоқ.
pick_day = Күнді таңдаңыз:
closed = Кесте жабылды. Қайта ашу: /agenda.
candidate = <b>{ $name }</b>
    Лауазым: { $position }
    Кезең: { $stage }, { $day } { $time }
    Жазылу: { $status }
    Нәтиже: { $result }
status-confirmed = ✅ расталды
status-unconfirmed = ❓ расталмады
status-done = аяқталды
result-passed = өтті ✅
result-failed = өтпеді ❌
result-no_show = келмеді 🚫
recorded = Белгіленді: { $result }. Үміткер хабарлама алады.
confirm_cancel = { $time } слотын ({ $stage }) болдырмау керек пе? { $count ->
    [one] Жазылған { $count } үміткер
   *[other] Жазылған { $count } үміткер
} хабарлама және басқа уақытты таңдау мүмкіндігін алады.
slot_cancelled = Слот болдырылмады. { $count ->
    [one] { $count } үміткерге хабарланды
   *[other] { $count } үміткерге хабарланды
}.
outcome-gone = Бұл слот немесе жазылу енді жоқ.
outcome-closed = Өтініш жабылған — нәтиже керек емес.
outcome-stale = Үміткер қазір басқа кезеңде.
outcome-already = Бұл кезеңнің нәтижесі белгіленген.
outcome-not_started = Слот әлі басталған жоқ — нәтижені басталғаннан кейін белгілеуге болады.
outcome-no_booking = Үміткердің бұл кезеңге жазылуы жоқ.
outcome-cancelled_before = Бұл слот бұрын болдырылмады.
outcome-started = Слот басталып кетті — оны болдырмауға болмайды.
button-today = Бүгін
button-cancel_slot = ✖ Слотты болдырмау
button-confirm_cancel = Иә, болдырмау
button-keep_slot = Жоқ, қалдыру
button-passed = ✅ Өтті
button-failed = ❌ Өтпеді
button-no_show = 🚫 Келмеді
