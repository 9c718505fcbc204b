# HR's /stages: the hiring chain's names, checklists and reschedule cut-off.
chain = <b>🪜 Этапы отбора</b>
    Кандидат проходит их по порядку. Выберите этап, чтобы изменить названия, список документов или срок переноса:
card = <b>Этап { $number }</b>
    🇰🇿 { $name_kk }
    🇷🇺 { $name_ru }

    Что взять с собой (каз.):
    { $checklist_kk }
    Что взять с собой (рус.):
    { $checklist_ru }

    Перенести запись можно не позже чем за { $cutoff } { $cutoff ->
        [one] час
        [few] часа
        [many] часов
       *[other] часа
    } до начала.
saved = ✅ Сохранено.
closed = Этапы закрыты. Открыть снова: /stages.
prompt-name_kk = Напишите название этапа на казахском:
prompt-name_ru = Напишите название этапа на русском:
prompt-checklist_kk = Напишите список на казахском — по одному пункту в строке:
prompt-checklist_ru = Напишите список на русском — по одному пункту в строке:
prompt-cutoff = За сколько часов до начала ещё можно перенести запись? Напишите число от 0 до 336, например 12.
button-name_kk = ✏️ Название (каз.)
button-name_ru = ✏️ Название (рус.)
button-checklist_kk = 📋 Список (каз.)
button-checklist_ru = 📋 Список (рус.)
button-cutoff = ⏱ Срок переноса
error-name_missing = Нужно название на обоих языках.
error-name_too_long = Название слишком длинное: не больше 100 символов.
error-checklist_too_long = В списке не больше 20 пунктов.
error-item_too_long = Пункт списка слишком длинный: не больше 200 символов.
error-bad_cutoff = Напишите число часов от 0 до 336.
error-not_text = Здесь нужен текст.
error-empty = Пустой текст не подходит — напишите хотя бы одно слово.
error-not_found = Этого этапа больше нет.
choose_scope = <b>🪜 Этапы отбора</b>
    Чью цепочку этапов открыть? Общую проходят все, у кого нет своей; отдел или должность могут получить свою.
choose_department = Выберите отдел:
choose_position = Выберите должность этого отдела:
button-everyone = 🌐 Общая цепочка
button-department = 🏢 Для отдела…
button-position = 👤 Для должности…
button-customize = 🛠 Сделать свою цепочку
scope-of_everyone = 🌐 Общая цепочка
scope-of_department = 🏢 Отдел: { $name }
scope-of_position = 👤 Должность: { $name }
follows-everyone = Своей цепочки нет — сейчас действует общая:
follows-department = Своей цепочки нет — сейчас действует цепочка отдела:
customized = ✅ Теперь у них своя цепочка — копия той, что действовала. Её можно менять, другие не изменятся.
button-up = ⬆️ Выше
button-down = ⬇️ Ниже
button-archive = 🗑 Убрать
button-archive_confirm = 🗑 Да, убрать этап
button-add = ➕ Добавить этап
archive-confirm = Убрать этап «{ $name }» из цепочки?
    Кто уже на нём, его закончит; записи и результаты сохранятся.
archived = 🗑 Этап «{ $name }» убран из цепочки.
moved = ✅ Этап перемещён.
added = ✅ Этап «{ $name }» добавлен в конец цепочки.
add-prompt_kk = <b>➕ Новый этап</b>
    Напишите его название на казахском:
add-prompt_ru = <b>➕ Новый этап</b>
    На казахском: { $name_kk }
    Теперь напишите название на русском:
error-first = Этап и так первый.
error-last = Этап и так последний.
