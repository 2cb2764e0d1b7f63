## Emails: confirmation, welcome, digest, data export, unsubscribe link.
##
## Each email has an HTML part and a plain-text part. Messages ending in -text are for the
## plain-text part: no markup, and where they end in a colon the address follows after them.
## In messages holding links, keep each <a ...> tag and its attributes exactly as they are
## (`style` carries the link's colour): translate only the words between <a ...> and </a>.

## Words every email uses.

# The first line of an email. $name is the reader's name as they gave it.
email-hello-name = مرحبًا { $name }،
email-hello = مرحبًا،
# The footer of emails to a newsletter's readers. $newsletter is its name, $public_url the
# address of the publication's site (also the link's words).
email-why = تصلك هذه الرسالة لأنك اشتركت في { $newsletter } عبر <a href="{ $public_url }" style="{ $link_style }">{ $public_url }</a> وأكّدت عنوانك.
email-why-text = تصلك هذه الرسالة لأنك اشتركت في { $newsletter } عبر { $public_url } وأكّدت عنوانك.
# How long a link keeps working: $count of $unit (day, hour or minute), as in "48 hours".
# Arabic: it follows "بعد" in confirm-email-expires, hence the genitive dual (يومين).
email-lifetime =
    { $unit ->
        [day]
            { $count ->
                [zero] { $count } يوم
                [one] يوم واحد
                [two] يومين
                [few] { $count } أيام
                [many] { $count } يومًا
               *[other] { $count } يوم
            }
        [hour]
            { $count ->
                [zero] { $count } ساعة
                [one] ساعة واحدة
                [two] ساعتين
                [few] { $count } ساعات
                [many] { $count } ساعة
               *[other] { $count } ساعة
            }
       *[minute]
            { $count ->
                [zero] { $count } دقيقة
                [one] دقيقة واحدة
                [two] دقيقتين
                [few] { $count } دقائق
                [many] { $count } دقيقة
               *[other] { $count } دقيقة
            }
    }

## The confirmation email (double opt-in). $newsletters is what the reader is confirming:
## one newsletter's name, or several as a list ("The Daily and The Weekend Read").

confirm-email-subject = يُرجى تأكيد اشتراكك في { $newsletters }
confirm-email-title = تأكيد اشتراكك
# Follows "Hello NAME," on the line above (hence no capital letter in English).
confirm-email-ask = يُرجى تأكيد رغبتك في تلقّي { $newsletters }.
confirm-email-button = تأكيد اشتراكي
# The confirmation link follows on the next line.
confirm-email-copy-link = أو انسخ هذا الرابط والصقه في متصفحك:
# $lifetime is how long the link works (email-lifetime: "48 hours").
confirm-email-expires = يعمل الرابط مرة واحدة فقط، وتنتهي صلاحيته بعد { $lifetime }.
confirm-email-not-you = إن لم تطلب الاشتراك، فما عليك سوى تجاهل هذه الرسالة، فمن دون تأكيد لن يصلك منّا شيء.
# $data_url opens the reader's page, where they can ask for a copy of their data.
confirm-email-data = لمعرفة ما نحتفظ به عنك، <a href="{ $data_url }" style="{ $link_style }">اطلب نسخة من بياناتك</a>، وسنرسلها إليك عبر البريد الإلكتروني.
# Follows "Hello NAME,"; the confirmation link follows on a line of its own.
confirm-email-ask-text = يُرجى تأكيد رغبتك في تلقّي { $newsletters } بفتح هذا الرابط والضغط على الزر في الصفحة:
confirm-email-data-text = لمعرفة ما نحتفظ به عنك (تصلك نسخة منه عبر البريد الإلكتروني):

## The welcome email, sent once a reader confirms a newsletter that has a welcome text. The
## text is the editors' own; these are the words around it. $newsletter is the newsletter's
## name.

# The subject (and title) when the editors gave the welcome none of its own.
welcome-email-subject = مرحبًا بك في { $newsletter }
welcome-email-button = اختر ما يصلك
# $reader_url opens the reader's own page.
welcome-email-your-page = في <a href="{ $reader_url }" style="{ $link_style }">صفحتك الخاصة</a> يمكنك اختيار الموضوعات ووتيرة وصول رسائلنا إليك، أو إلغاء الاشتراك، أو الحصول على نسخة من بياناتك.
welcome-email-your-page-text = في صفحتك الخاصة يمكنك اختيار الموضوعات ووتيرة وصول رسائلنا إليك، أو إلغاء الاشتراك، أو الحصول على نسخة من بياناتك:

## Digest emails. The articles, the subject and the editors' note above the articles are the
## editors'; these are the words around them.

digest-view-in-browser = عرض الرسالة في المتصفح
digest-view-in-browser-text = عرض الرسالة في المتصفح:
# The line above the articles. $name is the reader's name as they gave it.
digest-hello-name = مرحبًا { $name }، إليك ما يستحق القراءة.
digest-hello = مرحبًا، إليك ما يستحق القراءة.
# Told once to a reader who agreed to older versions of the policies. The versions are the
# publication's labels, like "2026-11".
digest-policy-changed = حدّثنا <a href="{ $privacy_url }" style="{ $link_style }">سياسة الخصوصية</a> (الإصدار { $privacy_version }) و<a href="{ $terms_url }" style="{ $link_style }">شروط الاستخدام</a> (الإصدار { $terms_version }). وإن لم توافق عليهما، فيمكنك إلغاء الاشتراك في أي وقت عبر الرابط أدناه.
# The two policies' addresses follow, each on a line of its own.
digest-policy-changed-text = حدّثنا سياسة الخصوصية (الإصدار { $privacy_version }) وشروط الاستخدام (الإصدار { $terms_version }):
digest-policy-disagree-text = إن لم توافق عليهما، فيمكنك إلغاء الاشتراك في أي وقت عبر الرابط في آخر هذه الرسالة.
# The heading above the articles (shown in capitals where the script has them).
digest-read-next = مختارات للقراءة
# Under an article's title. $author is the name the article gives.
digest-by = بقلم { $author }
# The link under each article to read it on the site (an arrow follows it in the HTML part).
digest-read-more = اقرأ المزيد
digest-read-more-text = اقرأ المزيد:
# $unsubscribe_url leaves with one click; $data_url opens the reader's page.
digest-unsubscribe = يمكنك <a href="{ $unsubscribe_url }" style="{ $accent_style }">إلغاء الاشتراك</a> بنقرة واحدة في أي وقت، أو <a href="{ $data_url }" style="{ $link_style }">تغيير اسمك أو الحصول على نسخة من بياناتك</a>.
digest-unsubscribe-text = إلغاء الاشتراك بنقرة واحدة:
digest-data-text = تغيير اسمك أو الحصول على نسخة من بياناتك:

## The email carrying a copy of a reader's data, as an attached file. $newsletter is the
## publication's name.

data-export-email-subject = بياناتك لدى { $newsletter }
# Follows "Hello NAME," (hence no capital letter in English).
data-export-email-body = بناءً على طلبك، أرفقنا بهذه الرسالة نسخة من كل ما لدى { $newsletter } من بيانات عنك: اشتراكك، وسجلّ موافقتك (ما وافقت عليه، ومتى، ومن أين)، وكل رسالة أرسلناها إليك. والملف بصيغة JSON، ويمكن فتحه بأي محرّر نصوص.
data-export-email-not-you = إن لم تطلب ذلك، فهذا يعني أن أحدًا استخدم رابطًا من إحدى رسائلنا إليك. وقد أُرسلت النسخة إليك وحدك، فلم يطّلع عليها أحد غيرك.

## The email with a fresh link to the reader's page, asked for on the "leave by address"
## page. $newsletter is the publication's name.

unsubscribe-link-email-subject = رابطك لإلغاء الاشتراك في { $newsletter }
# Follows "Hello NAME," (hence no capital letter in English); a button with the link follows.
unsubscribe-link-email-body = طلب شخص ما، ولعلّه أنت، رابطًا لإلغاء اشتراك هذا العنوان في { $newsletter }. افتحه ثم اضغط على الزر في الصفحة لإلغاء الاشتراك، ويمكنك هناك أيضًا تغيير اسمك أو طلب بياناتك.
# As unsubscribe-link-email-body; the link follows on a line of its own.
unsubscribe-link-email-body-text = طلب شخص ما، ولعلّه أنت، رابطًا لإلغاء اشتراك هذا العنوان في { $newsletter }. افتحه ثم اضغط على الزر في الصفحة لإلغاء الاشتراك، ويمكنك هناك أيضًا تغيير اسمك أو طلب بياناتك:
unsubscribe-link-email-button = إلغاء الاشتراك أو تغيير إعداداتي
unsubscribe-link-email-not-you = إن لم تطلب ذلك، فما عليك سوى تجاهل هذه الرسالة، ولن يتغيّر شيء.
