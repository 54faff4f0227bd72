// The Java bindings against `aimis sim` (bindings/tests/run.sh sets AIMIS_SIM_URL): the
// three queries, API and validation errors, callback verification, the field cipher,
// GB18030 through the raw JNA interface, and eight threads sharing one client.
import aimis.Aimis;
import aimis.Aimis.AimisClient;
import aimis.Aimis.AimisException;
import aimis.Aimis.AimisLibrary;
import aimis.Aimis.Result;
import aimis.Aimis.TextEncoding;
import com.sun.jna.Library;
import com.sun.jna.ptr.PointerByReference;
import com.sun.jna.win32.StdCallLibrary;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

public final class AimisTests {
    static final String URL = System.getenv("AIMIS_SIM_URL");
    static final String APP_ID = "demo-app";
    static final String TOKEN = "0123456789abcdef0123456789abcdef";
    static final String PHONE = "13800138000";
    static final String ID_NUM = "110101199003074518";
    static final Charset GB18030 = Charset.forName("GB18030");
    /** Name characters outside GBK (U+4DAE) and outside the BMP (U+20BB7), full-width punctuation. */
    static final String NAME = "\u738b\u4dae\uff08\u6025\u8bca\uff09\u674e\ud842\udfb7";
    static final AimisLibrary LIB = AimisLibrary.INSTANCE;

    interface Body { void run() throws Exception; }

    static String studies(String phone) {
        return "{\"phoneNum\":\"" + phone + "\",\"idNum\":\"" + ID_NUM + "\",\"hospitalId\":\"H0001\","
            + "\"unionId\":\"U0001\",\"studyType\":\"Radiology\",\"dataFlag\":\"All\",\"usage\":\"DoctorView\","
            + "\"studyDateBegin\":\"2025-01-01 00:00:00\",\"studyDateEnd\":\"2025-12-31 23:59:59\"}";
    }

    static void check(boolean condition, String what) {
        if (!condition) throw new AssertionError(what);
    }

    static void contains(String haystack, String needle) {
        check(haystack != null && haystack.contains(needle), "\"" + needle + "\" in \"" + haystack + "\"");
    }

    static <E extends AimisException> E expect(Class<E> type, Body body) throws Exception {
        try {
            body.run();
        } catch (AimisException e) {
            if (!type.isInstance(e)) throw new AssertionError("expected " + type.getSimpleName() + ", got " + e);
            return type.cast(e);
        }
        throw new AssertionError("no " + type.getSimpleName() + " was thrown");
    }

    static AimisClient client() {
        try (Aimis.Options options = new Aimis.Options().setRetries(0, 1, 1).setTimeoutMs(5000)) {
            return new AimisClient(APP_ID, TOKEN, URL, options);
        }
    }

    static byte[] z(byte[] bytes) {
        return Arrays.copyOf(bytes, bytes.length + 1);
    }

    static void versionMatchesTheBindings() {
        check(Aimis.version().equals(Aimis.BINDINGS_VERSION), Aimis.version());
        check(LIB.aimis_result_name(Result.INVALID_TEXT).getString(0).equals("AIMIS_INVALID_TEXT"), "codes match");
    }

    static void patientStudiesListsTheDemoStudies() {
        try (AimisClient client = client()) {
            String studies = client.patientStudies(studies(PHONE));
            check(studies.startsWith("["), "a JSON array");
            contains(studies, "\"reportId\":\"R0001\"");
        }
    }

    static void patientConsultationsGivesTheH5Page() {
        try (AimisClient client = client()) {
            contains(client.patientConsultations("{\"hisId\":\"HIS0001\",\"phoneNum\":\"" + PHONE + "\",\"idNum\":\""
                + ID_NUM + "\",\"hospitalId\":\"H0001\",\"unionId\":\"U0001\"}"), "\"h5Url\":\"https://");
        }
    }

    static void patientReportUrlGivesTheReportAndImages() {
        try (AimisClient client = client()) {
            String request = "{\"reportId\":\"R0001\",\"phoneNum\":\"" + PHONE + "\",\"idNum\":\"" + ID_NUM
                + "\",\"hospitalId\":\"H0001\"}";
            String urls = client.patientReportUrl(request);
            contains(urls, "\"h5DetailUrl\"");
            check(client.call("patient_report_url", request).equals(urls), "call() by any spelling");
        }
    }

    static void anUnknownPatientIsApiError10003() throws Exception {
        try (AimisClient client = client()) {
            Aimis.ApiException e = expect(Aimis.ApiException.class, () -> client.patientStudies(studies("13900000000")));
            check(e.getResult() == Result.API, "Result.API");
            check(e.getApiCode() == 10003, "API code 10003, got " + e.getApiCode());
            check(!e.getMessage().contains("13900000000"), "no phone number in " + e.getMessage());
        }
    }

    static void aValidationErrorSendsNothing() throws Exception {
        // Nothing listens on port 9: had anything been sent, this would be a transport error.
        try (Aimis.Options options = new Aimis.Options().setRetries(0, 1, 1);
             AimisClient client = new AimisClient(APP_ID, TOKEN, "http://127.0.0.1:9", options)) {
            Aimis.ValidationException e = expect(Aimis.ValidationException.class,
                () -> client.patientStudies("{\"phoneNum\":\"" + PHONE + "\"}"));
            check(e.getResult() == Result.VALIDATION, "Result.VALIDATION");
            contains(e.getMessage(), "idNum");
            check(!e.getMessage().contains(PHONE), "no phone number in " + e.getMessage());
            expect(Aimis.ValidationException.class, () -> client.call("noSuchEndpoint", "{}"));
            expect(Aimis.ValidationException.class, () -> new Aimis.Options().setTextEncoding(7));
            expect(Aimis.TransportException.class, () -> client.patientStudies(studies(PHONE)));
        }
    }

    static String callbackBody() {
        return "{\"status\":3,\"phoneNum\":\"" + Aimis.encryptField(TOKEN, PHONE) + "\",\"idNum\":\""
            + Aimis.encryptField(TOKEN, ID_NUM) + "\",\"patientId\":\"P0001\",\"hospitalId\":\"H0001\","
            + "\"studyType\":0,\"studyDate\":\"2025-01-15 09:30:00\",\"studyId\":\"S0001\","
            + "\"h5Url\":\"https://h5.example/r\",\"h5DetailUrl\":\"https://h5.example/i\",\"reportId\":\"R0001\"}";
    }

    static void aGoodCallbackIsVerifiedAndATamperedOneIsNot() throws Exception {
        String ts = Long.toString(System.currentTimeMillis());
        String signature = Aimis.sign(APP_ID, TOKEN, ts);
        byte[] body = callbackBody().getBytes(StandardCharsets.UTF_8);
        String json = Aimis.verifyCallback(APP_ID, TOKEN, APP_ID, ts, signature, body);
        contains(json, "\"phoneNum\":\"" + PHONE + "\"");
        contains(json, "\"idNum\":\"" + ID_NUM + "\"");
        char[] flipped = signature.toCharArray();
        flipped[0] = flipped[0] == '0' ? '1' : '0';
        Aimis.CallbackException e = expect(Aimis.CallbackException.class,
            () -> Aimis.verifyCallback(APP_ID, TOKEN, APP_ID, ts, new String(flipped), body));
        check(e.getResult() == Result.CALLBACK_REJECTED, "rejected");
        e = expect(Aimis.CallbackException.class,
            () -> Aimis.verifyCallback(APP_ID, TOKEN, APP_ID, ts, signature, "{\"status\":3}".getBytes(StandardCharsets.UTF_8)));
        check(e.getResult() == Result.CALLBACK_MALFORMED, "malformed");
    }

    static void fieldsEncryptAndDecrypt() throws Exception {
        check(Aimis.encryptField(TOKEN, "hello").equals("a59c096412eecb79830021104f861307"), "known answer");
        check(Aimis.decryptField(TOKEN, Aimis.encryptField(TOKEN, NAME)).equals(NAME), "round trip");
        check(Aimis.decryptField(TOKEN, Aimis.encryptField(TOKEN, "")).isEmpty(), "empty string");
        expect(Aimis.CryptoException.class, () -> Aimis.decryptField(TOKEN, "zz"));
    }

    static void gb18030TextRoundTrips() {
        byte[] name = NAME.getBytes(GB18030);
        PointerByReference hex = new PointerByReference();
        Aimis.check(LIB.aimis_encrypt_field_with_encoding(Aimis.utf8(TOKEN), z(name), TextEncoding.GB18030, hex));
        String hexText = Aimis.takeString(hex.getValue());
        check(hexText.equals(Aimis.encryptField(TOKEN, NAME)), "UTF-8 on the wire");
        byte[] small = new byte[4];
        Aimis.SizeTByReference needed = new Aimis.SizeTByReference();
        int r = LIB.aimis_decrypt_field_into(Aimis.utf8(TOKEN), Aimis.utf8(hexText), TextEncoding.GB18030, small,
            new Aimis.SizeT(small.length), needed);
        check(r == Result.BUFFER_TOO_SMALL, "BUFFER_TOO_SMALL, got " + r);
        check(needed.getValue() == name.length + 1, "needed counts the NUL");
        check(small[0] == 0, "nothing written");
        byte[] buffer = new byte[(int) needed.getValue()];
        Aimis.check(LIB.aimis_decrypt_field_into(Aimis.utf8(TOKEN), Aimis.utf8(hexText), TextEncoding.GB18030, buffer,
            new Aimis.SizeT(buffer.length), needed));
        check(new String(buffer, 0, buffer.length - 1, GB18030).equals(NAME), "GB18030 back");
        r = LIB.aimis_encrypt_field_with_encoding(Aimis.utf8(TOKEN), new byte[] {0x61, (byte) 0x81, 0}, TextEncoding.GB18030, hex);
        check(r == Result.INVALID_TEXT, "INVALID_TEXT, got " + r);
    }

    static void aGb18030ClientQueriesInGb18030() {
        // The client's strings are GB18030: the raw _into call with its handle takes and
        // gives GB18030 bytes (the idiomatic methods speak Java strings, as UTF-8).
        try (Aimis.Options options = new Aimis.Options().setTextEncoding(TextEncoding.GB18030).setRetries(0, 1, 1);
             AimisClient client = new AimisClient(APP_ID, TOKEN, URL, options)) {
            String request = "{\"phoneNum\":\"13900139000\",\"idNum\":\"11010519491231002X\","
                + "\"hospitalId\":\"\u4ec1\u6d4e\u533b\u9662\uff08\u4e1c\u9662\uff09\",\"unionId\":\"U0001\","
                + "\"studyType\":0,\"dataFlag\":\"ThisHospital\",\"usage\":2,"
                + "\"studyDateBegin\":\"2025-01-01 00:00:00\",\"studyDateEnd\":\"2025-12-31 23:59:59\"}";
            byte[] buffer = new byte[64 * 1024];
            Aimis.SizeTByReference needed = new Aimis.SizeTByReference();
            Aimis.check(LIB.aimis_client_call_into(client.handle(), Aimis.utf8("patientStudies"),
                z(request.getBytes(GB18030)), buffer, new Aimis.SizeT(buffer.length), needed));
            String answer = new String(buffer, 0, (int) needed.getValue() - 1, GB18030);
            contains(answer, "\"reportId\":\"R0900\"");
            contains(answer, "\u80f8\u90e8CT\u5e73\u626b\uff0c\u589e\u5f3a\uff08\u6025\u8bca\uff09");
            contains(answer, "\u674e\ud842\udfb7");
        }
    }

    static void eightThreadsShareOneClient() throws Exception {
        try (AimisClient client = client()) {
            ExecutorService pool = Executors.newFixedThreadPool(8);
            List<Future<Integer>> results = new ArrayList<Future<Integer>>();
            for (int t = 0; t < 8; t++) {
                results.add(pool.submit(() -> {
                    int ok = 0;
                    for (int i = 0; i < 5; i++) {
                        if (client.patientStudies(studies(PHONE)).contains("R0001")) ok++;
                        Aimis.ApiException e = expect(Aimis.ApiException.class, () -> client.patientStudies(studies("13900000000")));
                        check(e.getApiCode() == 10003, "this thread's own API code");
                    }
                    return ok;
                }));
            }
            int ok = 0;
            for (Future<Integer> f : results) ok += f.get();
            pool.shutdown();
            check(ok == 40, "40 answers, got " + ok);
        }
    }

    /** aimis.dll's exports are stdcall on 32-bit Windows only; JNA is told so when loading. */
    static void theLibraryIsStdcallOn32BitWindowsOnly() {
        check(Integer.valueOf(StdCallLibrary.STDCALL_CONVENTION).equals(
            Aimis.libraryOptions(true, false).get(Library.OPTION_CALLING_CONVENTION)), "stdcall on x86 Windows");
        check(!Aimis.libraryOptions(true, true).containsKey(Library.OPTION_CALLING_CONVENTION), "x64 Windows: the one convention");
        check(!Aimis.libraryOptions(false, true).containsKey(Library.OPTION_CALLING_CONVENTION), "Linux: cdecl");
    }

    static Aimis.PatientStudiesRequest typedStudies(String phone, String idNum, String hospitalId) {
        return new Aimis.PatientStudiesRequest().phoneNum(phone).idNum(idNum).hospitalId(hospitalId)
            .unionId("U0001").studyType(Aimis.StudyType.RADIOLOGY).dataFlag(Aimis.DataFlag.ALL)
            .usage(Aimis.Usage.DOCTOR_VIEW).studyDateBegin(LocalDateTime.of(2025, 1, 1, 0, 0))
            .studyDateEnd(LocalDateTime.of(2025, 12, 31, 23, 59, 59));
    }

    /** The typed layer: request classes in, records out, enums as enums, absent fields null. */
    static void typedQueriesGiveRecords() throws Exception {
        try (AimisClient client = client()) {
            List<Aimis.Study> studies = client.patientStudies(typedStudies(PHONE, ID_NUM, "H0001"));
            Aimis.Study first = null;
            for (Aimis.Study s : studies) {
                check(s.getStudyType() == Aimis.StudyType.RADIOLOGY, "only radiology, as asked");
                if ("R0001".equals(s.getReportId())) first = s;
            }
            check(first != null, "R0001 among " + studies.size() + " studies");
            check("Chest CT, plain scan".equals(first.getStudyName()), "the study name");

            Aimis.ConsultationList page = client.patientConsultations(new Aimis.PatientConsultationsRequest()
                .hisId("HIS0001").phoneNum(PHONE).idNum(ID_NUM).hospitalId("H0001").unionId("U0001"));
            check(page.getH5Url().startsWith("https://"), "the consultations page");

            Aimis.PatientStudyUrl urls = client.patientReportUrl(new Aimis.PatientReportUrlRequest()
                .reportId("R0001").phoneNum(PHONE).idNum(ID_NUM).hospitalId("H0001"));
            check(urls.getH5DetailUrl().endsWith("/images/R0001"), "the images page");

            // Chinese text and characters outside the BMP both ways.
            List<Aimis.Study> chinese = client.patientStudies(typedStudies("13900139000", "11010519491231002X",
                "\u4ec1\u6d4e\u533b\u9662\uff08\u4e1c\u9662\uff09"));
            check(chinese.size() == 1, "one study");
            check("\u80f8\u90e8CT\u5e73\u626b\uff0c\u589e\u5f3a\uff08\u6025\u8bca\uff09".equals(chinese.get(0).getStudyName()), "the Chinese study name");
            check("\u674e\ud842\udfb7".equals(chinese.get(0).getApplyDoctor()), "the doctor's rare name");

            // A required field left unset is libaimis's validation error, naming it.
            Aimis.ValidationException v = expect(Aimis.ValidationException.class,
                () -> client.patientStudies(typedStudies(PHONE, ID_NUM, "H0001").studyType(null)));
            contains(v.getMessage(), "studyType");
            Aimis.ApiException a = expect(Aimis.ApiException.class,
                () -> client.patientStudies(typedStudies("13900000000", ID_NUM, "H0001")));
            check(a.getApiCode() == 10003, "API code 10003");
        }
    }

    /** A client set to GB18030 (as a code page 936 program sets it) takes and gives Java
     * strings: AimisClient encodes requests and decodes answers in the client's encoding. */
    static void aGb18030ClientTakesAndGivesStrings() throws Exception {
        try (Aimis.Options options = new Aimis.Options().setRetries(0, 1, 1).setTextEncoding(TextEncoding.GB18030);
             AimisClient client = new AimisClient(APP_ID, TOKEN, URL, options)) {
            String hospital = "\u4ec1\u6d4e\u533b\u9662\uff08\u4e1c\u9662\uff09";
            List<Aimis.Study> studies = client.patientStudies(typedStudies("13900139000", "11010519491231002X", hospital));
            check(studies.size() == 1, "one study, got " + studies.size());
            check("\u80f8\u90e8CT\u5e73\u626b\uff0c\u589e\u5f3a\uff08\u6025\u8bca\uff09".equals(studies.get(0).getStudyName()), "the Chinese study name");
            check("\u674e\ud842\udfb7".equals(studies.get(0).getApplyDoctor()), "the doctor's rare name");
            contains(client.patientStudies(typedStudies("13900139000", "11010519491231002X", hospital).toJson()), "\u674e\ud842\udfb7");
        }
    }

    /** A typed batch: one outcome per request, in order, a refusal being that row's outcome. */
    static void aTypedBatchGivesOneOutcomePerRequest() throws Exception {
        try (AimisClient client = client()) {
            List<Aimis.BatchOutcome<List<Aimis.Study>>> outcomes = client.patientStudiesBatch(Arrays.asList(
                typedStudies(PHONE, ID_NUM, "H0001"),
                typedStudies("13900000000", ID_NUM, "H0001"),
                typedStudies("13900139000", "11010519491231002X", "\u4ec1\u6d4e\u533b\u9662\uff08\u4e1c\u9662\uff09")), 2, 0);
            check(outcomes.size() == 3, "three outcomes, got " + outcomes.size());
            check(outcomes.get(0).getRow() == 1 && outcomes.get(0).isOk(), "row 1 ok");
            boolean r0001 = false;
            for (Aimis.Study s : outcomes.get(0).getData()) r0001 |= "R0001".equals(s.getReportId());
            check(r0001, "row 1: the demo studies");
            check(outcomes.get(1).getRow() == 2 && !outcomes.get(1).isOk() && outcomes.get(1).getErrorCode() == 10003L
                && outcomes.get(1).getData() == null, "row 2: API code 10003");
            check(outcomes.get(2).getRow() == 3 && "\u674e\ud842\udfb7".equals(outcomes.get(2).getData().get(0).getApplyDoctor()), "row 3: the rare name");
            nullIs("requests", () -> client.patientStudiesBatch(null, 0, 0));
        }
    }

    /** A request to the simulator's admin routes: the status code. */
    static int admin(String method, String path, String body) throws Exception {
        java.net.HttpURLConnection c = (java.net.HttpURLConnection) new java.net.URL(URL.replaceAll("/$", "") + path).openConnection();
        c.setRequestMethod(method);
        c.setDoOutput(true);
        c.setRequestProperty("Content-Type", "application/json");
        c.setRequestProperty("Authorization", "Bearer " + System.getenv("AIMIS_SIM_ADMIN_TOKEN"));
        try (java.io.OutputStream out = c.getOutputStream()) {
            out.write(body.getBytes(StandardCharsets.UTF_8));
        }
        int status = c.getResponseCode();
        c.disconnect();
        return status;
    }

    /** The inbox consumer: the simulator's signed callback for S0005, received by
     * `aimis inbox serve`, handed out once as a typed record, then acknowledged. */
    static void theInboxHandsOutATypedCallbackOnce() throws Exception {
        check(admin("PUT", "/__admin/callback-url", "{\"url\":\"" + System.getenv("AIMIS_INBOX_URL") + "\"}") == 200, "callback URL set");
        try {
            check(admin("POST", "/__admin/studies/S0005/status", "{\"status\":3}") == 200, "S0005 advanced");
        } finally {
            admin("PUT", "/__admin/callback-url", "{\"url\":null}");
        }
        try (Aimis.AimisInbox inbox = new Aimis.AimisInbox(System.getenv("AIMIS_INBOX_STORE"), APP_ID, TOKEN)) {
            Aimis.InboxItem item = inbox.next(30);
            check(item != null, "a callback is pending");
            check("S0005".equals(item.getCallback().getStudyId())
                && item.getCallback().getStatus() == Aimis.StudyStatus.REPORT_AND_IMAGES_READY, "S0005's report and images are ready");
            check(PHONE.equals(item.getCallback().getPhoneNum()), "phoneNum decrypted");
            inbox.ack(item.getId());
            check(inbox.next(30) == null, "nothing pending once acknowledged");
        }
        nullIs("storeUrl", () -> new Aimis.AimisInbox(null, APP_ID, TOKEN));
    }

    static void nullIs(String name, Body body) throws Exception {
        try {
            body.run();
        } catch (IllegalArgumentException e) {
            contains(e.getMessage(), name + " must not be null");
            return;
        }
        throw new AssertionError("no IllegalArgumentException for " + name);
    }

    /** A null where libaimis needs a value is Java's own IllegalArgumentException naming
     * the parameter, before anything reaches libaimis. */
    static void nullArgumentsAreIllegalArgumentExceptions() throws Exception {
        nullIs("appId", () -> new AimisClient(null, TOKEN, URL));
        nullIs("token", () -> new AimisClient(APP_ID, null, URL, null));
        try (AimisClient client = client()) {
            nullIs("requestJson", () -> client.patientStudies((String) null));
            nullIs("request", () -> client.patientStudies((Aimis.PatientStudiesRequest) null));
            nullIs("endpoint", () -> client.call(null, "{}"));
        }
        nullIs("plaintext", () -> Aimis.encryptField(TOKEN, null));
        nullIs("token", () -> Aimis.decryptField(null, "00"));
        nullIs("timestampMs", () -> Aimis.sign(APP_ID, TOKEN, null));
        nullIs("appId", () -> Aimis.verifyCallback(null, TOKEN, APP_ID, "1", "s", new byte[0]));
        try (Aimis.Options options = new Aimis.Options()) {
            nullIs("proxyUrl", () -> options.setProxy(null));
        }
    }

    public static void main(String[] args) {
        if (URL == null) {
            System.err.println("set AIMIS_SIM_URL to a running `aimis sim` (bindings/tests/run.sh does)");
            System.exit(2);
        }
        Map<String, Body> tests = new LinkedHashMap<String, Body>();
        tests.put("version_matches_the_bindings", AimisTests::versionMatchesTheBindings);
        tests.put("patient_studies_lists_the_demo_studies", AimisTests::patientStudiesListsTheDemoStudies);
        tests.put("patient_consultations_gives_the_h5_page", AimisTests::patientConsultationsGivesTheH5Page);
        tests.put("patient_report_url_gives_the_report_and_images", AimisTests::patientReportUrlGivesTheReportAndImages);
        tests.put("an_unknown_patient_is_api_error_10003", AimisTests::anUnknownPatientIsApiError10003);
        tests.put("a_validation_error_sends_nothing", AimisTests::aValidationErrorSendsNothing);
        tests.put("a_good_callback_is_verified_and_a_tampered_one_is_not", AimisTests::aGoodCallbackIsVerifiedAndATamperedOneIsNot);
        tests.put("fields_encrypt_and_decrypt", AimisTests::fieldsEncryptAndDecrypt);
        tests.put("the_library_is_stdcall_on_32_bit_windows_only", AimisTests::theLibraryIsStdcallOn32BitWindowsOnly);
        tests.put("typed_queries_give_records", AimisTests::typedQueriesGiveRecords);
        tests.put("a_gb18030_client_takes_and_gives_strings", AimisTests::aGb18030ClientTakesAndGivesStrings);
        tests.put("a_typed_batch_gives_one_outcome_per_request", AimisTests::aTypedBatchGivesOneOutcomePerRequest);
        tests.put("the_inbox_hands_out_a_typed_callback_once", AimisTests::theInboxHandsOutATypedCallbackOnce);
        tests.put("null_arguments_are_illegal_argument_exceptions", AimisTests::nullArgumentsAreIllegalArgumentExceptions);
        tests.put("gb18030_text_round_trips", AimisTests::gb18030TextRoundTrips);
        tests.put("a_gb18030_client_queries_in_gb18030", AimisTests::aGb18030ClientQueriesInGb18030);
        tests.put("eight_threads_share_one_client", AimisTests::eightThreadsShareOneClient);
        int passed = 0, failed = 0;
        for (Map.Entry<String, Body> test : tests.entrySet()) {
            try {
                test.getValue().run();
                passed++;
                System.out.println("ok   java::" + test.getKey());
            } catch (Throwable e) {
                failed++;
                System.out.println("FAIL java::" + test.getKey());
                System.out.println("    " + e);
            }
        }
        System.out.println(passed + " passed, " + failed + " failed");
        System.exit(failed == 0 ? 0 : 1);
    }
}
