## The signup page (also what the embed snippet shows).

signup-title = الاشتراك
signup-heading = اشترك في { $newsletter }
signup-heading-several = اشترك في نشراتنا البريدية
signup-lede-several = اختر ما تودّ أن يصلك، وتكفي رسالة واحدة لتأكيد كل شيء.
signup-form-error =
    { $count ->
        [zero] يُرجى تصحيح الحقول المميَّزة أدناه.
        [one] يُرجى تصحيح الحقل المميَّز أدناه.
        [two] يُرجى تصحيح الحقلين المميَّزين أدناه.
        [few] يُرجى تصحيح الحقول المميَّزة أدناه.
        [many] يُرجى تصحيح الحقول المميَّزة أدناه.
       *[other] يُرجى تصحيح الحقول المميَّزة أدناه.
    }
signup-email = عنوان البريد الإلكتروني
signup-name = الاسم الأول
signup-newsletters = النشرات البريدية
signup-topics = الموضوعات
signup-topics-hint = اختر ما يهمّك منها، أو لا تحدّد شيئًا ليصلك كل شيء.
signup-how-often = وتيرة الإرسال
signup-honeypot = اترك هذا الحقل فارغًا
signup-submit = اشترك
signup-fineprint = سنرسل إليك رسالة لتأكيد عنوانك، ولن تصلك النشرة البريدية ما لم تؤكّده.
signup-accepted = شكرًا لك! يُرجى مراجعة بريدك الوارد وتأكيد اشتراكك.
signup-archive = لم تحسم أمرك بعد؟ <a href="/archive">اقرأ الأعداد السابقة</a>.
# The consent checkbox's label: kept word for word, with its language, as evidence of what
# each reader agreed to. Keep both links.
consent-label = أوافق على <a href="{ $privacy_url }">سياسة الخصوصية</a> و<a href="{ $terms_url }">شروط الاستخدام</a>. يمكنك إلغاء الاشتراك في أي وقت.

## Cadence choices, on the signup page and the reader's page. $time is like 08:00, $zone a
## time zone name (Europe/Berlin), $day 0 (Sunday) to 6 (Saturday).

cadence-whenever = كلما أرسلها المحرّرون
cadence-scheduled = وفق موعدها المعتاد
cadence-instant-every =
    عند نشر المقالات، رسالة واحدة على الأكثر { $unit ->
        [hour] { $count ->
            [zero] كل { $count } ساعة
            [one] كل ساعة
            [two] كل ساعتين
            [few] كل { $count } ساعات
            [many] كل { $count } ساعة
           *[other] كل { $count } ساعة
        }
       *[minute] { $count ->
            [zero] كل { $count } دقيقة
            [one] كل دقيقة
            [two] كل دقيقتين
            [few] كل { $count } دقائق
            [many] كل { $count } دقيقة
           *[other] كل { $count } دقيقة
        }
    }
cadence-daily-at = مرة في اليوم، في الساعة { $time } ({ $zone })
cadence-weekly-at =
    مرة في الأسبوع، كل يوم { $day ->
        [0] أحد
        [1] اثنين
        [2] ثلاثاء
        [3] أربعاء
        [4] خميس
        [5] جمعة
       *[6] سبت
    } في الساعة { $time } ({ $zone })
cadence-short-scheduled = وفق الموعد المعتاد لكل نشرة
cadence-short-instant = فور نشر المقالات
cadence-short-daily = مرة في اليوم
cadence-short-weekly = مرة في الأسبوع
cadence-offered-by = متاح في { $newsletters }

## After the form: check your inbox.

thanks-title = تفقّد بريدك الوارد
thanks-sent-to = شكرًا لاشتراكك! أرسلنا رسالة إلى <strong>{ $email }</strong> تتضمّن رابطًا لتأكيد اشتراكك.
thanks-sent = شكرًا لاشتراكك! أرسلنا إليك رسالة تتضمّن رابطًا لتأكيد اشتراكك.
thanks-from = تصلك الرسالة من <strong>{ $from }</strong>، وقد يستغرق وصولها دقيقة أو دقيقتين؛ وإن لم تصل، فيُرجى البحث في مجلد الرسائل غير المرغوب فيها.
thanks-archive = وفي هذه الأثناء، <a href="/archive">اقرأ الأعداد السابقة</a>.
thanks-already = إن كان اشتراكك قائمًا من قبل، فلن يتغيّر شيء، وسيستمر وصول { $newsletter } إليك كالمعتاد.

## The confirmation link's page (the button that confirms) and the page after it.

confirm-title = تأكيد اشتراكك
confirm-heading = خطوة أخيرة
confirm-text = يُرجى الضغط على الزر لتأكيد رغبتك في تلقّي { $newsletter }.
confirm-button = تأكيد اشتراكي
confirm-fineprint = لم تطلب الاشتراك؟ ما عليك سوى إغلاق هذه الصفحة، فمن دون تأكيد لن يصلك منّا شيء.
confirmed-title = تم تأكيد الاشتراك
confirmed-heading = تم اشتراكك بنجاح
confirmed-already = سبق أن أكّدت هذا العنوان، فلا حاجة إلى أي خطوة أخرى: اشتراكك في { $newsletter } مفعّل.
confirmed-text = شكرًا لك! تم تأكيد اشتراكك في { $newsletter }، وسيصل العدد القادم إلى بريدك الوارد قريبًا.
confirmed-archive = وإلى ذلك الحين، <a href="/archive">اقرأ الأعداد السابقة</a>.
confirmed-fineprint = تتضمّن كل رسالة رابطًا لإلغاء الاشتراك بنقرة واحدة.

## A confirmation link that cannot be used. The page shows one of the reasons, then
## link-invalid-lifetime.

link-invalid-title = الرابط غير صالح
link-invalid-heading = لا يمكن استخدام هذا الرابط
link-invalid-expired = انتهت صلاحية رابط التأكيد هذا.
link-invalid-used = سبق استخدام رابط التأكيد هذا.
link-invalid-unknown = لم نتعرّف على رابط التأكيد هذا.
link-invalid-lifetime = تعمل روابط التأكيد مرة واحدة فقط ولمدة محدودة.
link-invalid-again = إن كنت ترغب في تلقّي { $newsletter }، فيُرجى <a href="/">الاشتراك من جديد</a> وسنرسل إليك رابطًا جديدًا.

## Leaving by address: for a reader whose unsubscribe link does not work, or who came to
## leave without one. They get an email with a fresh link.

leave-broken-title = هذا الرابط لا يعمل
leave-broken-text = تعذّر علينا ربط رابط إلغاء الاشتراك هذا بأحد القرّاء. فبرامج البريد تغيّر الروابط أو تقطعها أحيانًا، كما تتوقف الروابط عن العمل عند حذف العنوان من قائمتنا.
leave-by-address-heading = إلغاء الاشتراك عبر عنوان البريد الإلكتروني
leave-title = إلغاء الاشتراك
leave-lede = أدخل عنوانك وسنرسل إليك رابطًا جديدًا لإلغاء الاشتراك. لا يُرسَل الرابط إلا إلى هذا العنوان، فلا يستطيع أحد إلغاء اشتراك غيره.
leave-email = عنوان البريد الإلكتروني
leave-submit = إرسال رابط إلى بريدي
leave-sent-title = تفقّد بريدك الوارد
# $email is the address as typed, partly hidden: a***@example.com.
leave-sent-text = إن كان العنوان { $email } مسجّلًا في قائمة { $newsletter }، فقد أرسلنا إليه رسالة تتضمّن رابطًا لإلغاء الاشتراك. قد يستغرق وصولها دقيقة أو دقيقتين؛ وإن لم تصل، فيُرجى البحث في مجلد الرسائل غير المرغوب فيها.

## The reader's own page (the unsubscribe link of every email): leaving, their newsletters
## with topics and cadence, their name, language and data. $email is their address, partly
## hidden (a***@example.com); $newsletter a newsletter's name.

preferences-title = اشتراكك
preferences-left-heading = ألغيت اشتراكك في { $newsletter }
preferences-left-text = لن تصل رسائل { $newsletter } بعد الآن إلى <strong>{ $email }</strong>. أما نشراتك البريدية الأخرى فستواصل الوصول إليك، ويمكنك تعديلها أو إلغاء الاشتراك فيها أدناه.
preferences-leave-heading = إلغاء الاشتراك في { $newsletter }؟
# What the button at the top does when they get other newsletters too.
preferences-leave-one = بالضغط على الزر، لن تصل رسائل { $newsletter } بعد الآن إلى <strong>{ $email }</strong>. أما نشراتك البريدية الأخرى فستواصل الوصول إليك، ويمكنك تعديلها أو إلغاء الاشتراك فيها أدناه.
preferences-leave-all = بالضغط على الزر، لن تصل أي رسائل منّا بعد الآن إلى <strong>{ $email }</strong>.
preferences-unsubscribe = إلغاء الاشتراك
# Said as the newsletter's name in preferences-leave-heading when the button leaves several.
preferences-all-newsletters = جميع نشراتنا البريدية
preferences-unsubscribed-heading = تم إلغاء اشتراكك في { $newsletter }
preferences-unsubscribed-text = لن تصل أي رسائل منّا إلى <strong>{ $email }</strong>. هل غيّرت رأيك؟ يمكنك <a href="/">الاشتراك من جديد</a> في أي وقت، وسنطلب منك التأكيد عبر البريد الإلكتروني.
preferences-newsletters-heading = نشراتك البريدية
preferences-newsletters-lede = اختر الموضوعات التي تهمّك في كل نشرة ووتيرة وصولها. وإن لم تحدّد أي موضوع، فسيصلك كل ما تنشره.
preferences-choice-error =
    { $count ->
        [zero] يُرجى تصحيح الخيارات المميَّزة أدناه.
        [one] يُرجى تصحيح الخيار المميَّز أدناه.
        [two] يُرجى تصحيح الخيارين المميَّزين أدناه.
        [few] يُرجى تصحيح الخيارات المميَّزة أدناه.
        [many] يُرجى تصحيح الخيارات المميَّزة أدناه.
       *[other] يُرجى تصحيح الخيارات المميَّزة أدناه.
    }
preferences-topics = الموضوعات
preferences-topics-none = (دون تحديد: كل الموضوعات)
preferences-how-often = وتيرة الإرسال
# The part in the span is read out by screen readers only.
preferences-save-choices = حفظ الاختيارات<span class="visually-hidden"> الخاصة بـ{ $newsletter }</span>
preferences-leave-newsletter = إلغاء الاشتراك في { $newsletter }
preferences-leave-all-lede = أو أوقف كل شيء، فلا تصلك منّا أي رسائل على الإطلاق.
preferences-leave-all-button = إلغاء جميع الاشتراكات
# Where the reader stands on one newsletter, under its name.
preferences-summary-pending = بانتظار تأكيدك: يُرجى البحث عن رسالتنا التي تتضمّن الرابط.
preferences-summary-left = ألغيت اشتراكك في هذه النشرة.
# $when is one of the cadence-* messages with its first letter made lower case; $topics is
# the topics' names joined by list-separator, or preferences-every-topic.
preferences-summary = تصلك: { $when }؛ { $topics }.
preferences-every-topic = جميع الموضوعات
preferences-details-heading = بياناتك
preferences-name = الاسم الذي نحيّيك به
preferences-name-optional = (يمكن تركه فارغًا)
preferences-save-name = حفظ الاسم
preferences-save-language = حفظ اللغة
preferences-data-text = هل تريد نسخة من كل ما نحتفظ به عنك: بياناتك، وسجلّ موافقتك، والرسائل التي أرسلناها إليك؟ نرسلها إلى عنوانك في ملف عبر البريد الإلكتروني، ولا تُعرض أبدًا على هذه الصفحة.
preferences-data-button = إرسال بياناتي إلى بريدي
# Notices after a change.
preferences-saved-name = تم الحفظ. سنخاطبك بهذا الاسم بدءًا من رسالتنا القادمة.
# $language is the language's own name (Deutsch, Français); the page is already in it.
preferences-saved-language = تم الحفظ. سنراسلك باللغة { $language } من الآن فصاعدًا.
preferences-data-sent = نسخة من بياناتك في طريقها إلى عنوانك عبر البريد الإلكتروني، وقد يستغرق وصولها بضع دقائق.
preferences-data-limit = لقد طلبت بياناتك ثلاث مرات اليوم. يُرجى البحث عن النسخ في بريدك الوارد (وفي مجلد الرسائل غير المرغوب فيها)، أو إعادة الطلب غدًا.
preferences-saved-choice = تم الحفظ. ستصلك رسائل { $newsletter } القادمة وفق اختيارك.
# Said as $newsletter in preferences-saved-choice and preferences-left-one when the
# newsletter is no longer known.
preferences-the-newsletter = النشرة البريدية
preferences-left-one = تم إلغاء اشتراكك في { $newsletter }.
preferences-left-every = تم إلغاء اشتراكك في جميع نشراتنا البريدية.

## After leaving with the button or a mail program's one-click request.

unsubscribed-title = تم إلغاء الاشتراك
unsubscribed-heading = تم إلغاء اشتراكك
unsubscribed-text = لن تصلك بعد الآن أي رسائل من { $newsletter }. يؤسفنا رحيلك.
# $link leads to the reader's own page.
unsubscribed-others = ستواصل نشراتك البريدية الأخرى الوصول إليك. <a href="{ $link }">يمكنك تعديلها أو إلغاء الاشتراك فيها</a>.
unsubscribed-again = هل غيّرت رأيك؟ يمكنك <a href="/">الاشتراك من جديد</a> في أي وقت.
unsubscribed-data = هل تريد نسخة من البيانات التي نحتفظ بها عنك؟ <a href="{ $link }">اطلبها من هنا</a>.

## The public archive of past issues, and one issue's web version.

archive-title = الأرشيف
archive-heading = الأعداد السابقة
# After the publication's own description.
archive-lede = إليك ما أرسلناه حتى الآن؛ <a href="/">اشترك</a> ليصلك العدد القادم.
archive-empty = لم نرسل أي عدد بعد.
archive-feed = <a href="/archive.xml">موجز Atom</a> للأعداد السابقة.
archive-by = بقلم { $author }
archive-sign-up = <a href="/">اشترك في { $newsletter }</a> ليصلك العدد القادم عبر البريد الإلكتروني.

## What the embedded signup form's script says while and after it sends the form.

embed-sending = جارٍ الإرسال…
embed-failed = حدث خطأ ما؛ يُرجى المحاولة مرة أخرى.
