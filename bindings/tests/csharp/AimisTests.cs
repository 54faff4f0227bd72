// The C# bindings against `aimis sim` (bindings/tests/run.sh sets AIMIS_SIM_URL): the
// three queries, API and validation errors, callback verification, the field cipher,
// GB18030 through the raw declarations, and eight threads sharing one client.
using System;
using System.Collections.Generic;
using System.IO;
using System.Net;
using System.Reflection;
using System.Runtime.InteropServices;
using System.Text;
using System.Threading;
using Aimis;

static class AimisTests
{
    static readonly string Url = Environment.GetEnvironmentVariable("AIMIS_SIM_URL");
    const string AppId = "demo-app";
    const string Token = "0123456789abcdef0123456789abcdef";
    const string Phone = "13800138000";
    const string IdNum = "110101199003074518";

    static string Studies(string phone)
    {
        return "{\"phoneNum\":\"" + phone + "\",\"idNum\":\"" + IdNum + "\",\"hospitalId\":\"H0001\"," +
               "\"unionId\":\"U0001\",\"studyType\":\"Radiology\",\"dataFlag\":\"All\",\"usage\":\"DoctorView\"," +
               "\"studyDateBegin\":\"2025-01-01 00:00:00\",\"studyDateEnd\":\"2025-12-31 23:59:59\"}";
    }

    static void Assert(bool condition, string what)
    {
        if (!condition) throw new Exception("assertion failed: " + what);
    }

    static void Contains(string haystack, string needle)
    {
        Assert(haystack != null && haystack.Contains(needle), "\"" + needle + "\" in \"" + haystack + "\"");
    }

    static AimisException Throws(Action action)
    {
        try { action(); }
        catch (AimisException e) { return e; }
        throw new Exception("no AimisException was thrown");
    }

    static AimisClient Client()
    {
        using (AimisOptions options = new AimisOptions().SetRetries(0, 1, 1).SetTimeoutMs(5000))
            return new AimisClient(AppId, Token, Url, options);
    }

    static string NowMs()
    {
        return ((long)(DateTime.UtcNow - new DateTime(1970, 1, 1)).TotalMilliseconds).ToString();
    }

    static byte[] Z(params byte[] bytes)
    {
        byte[] z = new byte[bytes.Length + 1];
        Buffer.BlockCopy(bytes, 0, z, 0, bytes.Length);
        return z;
    }

    // GB18030 bytes (Mono ships no GB18030 encoder, and a HIS holds these bytes anyway).
    // "王䶮（急诊）李𠮷": U+4DAE is outside GBK, U+20BB7 outside the BMP.
    static readonly byte[] NameGb = { 0xCD, 0xF5, 0xFE, 0x9F, 0xA3, 0xA8, 0xBC, 0xB1, 0xD5, 0xEF, 0xA3, 0xA9, 0xC0, 0xEE, 0x95, 0x34, 0xB2, 0x35 };
    const string NameText = "\u738b\u4dae\uff08\u6025\u8bca\uff09\u674e\ud842\udfb7";
    // "仁济医院（东院）", "胸部CT平扫，增强（急诊）", "李𠮷"
    static readonly byte[] HospitalGb = { 0xC8, 0xCA, 0xBC, 0xC3, 0xD2, 0xBD, 0xD4, 0xBA, 0xA3, 0xA8, 0xB6, 0xAB, 0xD4, 0xBA, 0xA3, 0xA9 };
    static readonly byte[] StudyNameGb = { 0xD0, 0xD8, 0xB2, 0xBF, 0x43, 0x54, 0xC6, 0xBD, 0xC9, 0xA8, 0xA3, 0xAC, 0xD4, 0xF6, 0xC7, 0xBF, 0xA3, 0xA8, 0xBC, 0xB1, 0xD5, 0xEF, 0xA3, 0xA9 };
    static readonly byte[] DoctorGb = { 0xC0, 0xEE, 0x95, 0x34, 0xB2, 0x35 };

    static bool HasBytes(byte[] haystack, int length, byte[] needle)
    {
        for (int i = 0; i + needle.Length <= length; i++)
        {
            int j = 0;
            while (j < needle.Length && haystack[i + j] == needle[j]) j++;
            if (j == needle.Length) return true;
        }
        return false;
    }

    static byte[] Concat(params byte[][] parts)
    {
        List<byte> all = new List<byte>();
        foreach (byte[] p in parts) all.AddRange(p);
        return all.ToArray();
    }

    static byte[] Ascii(string s) { return Encoding.ASCII.GetBytes(s); }

    static void VersionMatchesTheBindings()
    {
        Assert(AimisFunctions.Version.Length > 0, "a version");
        Assert(NativeMethods.aimis_result_name((int)AimisResult.BufferTooSmall) != IntPtr.Zero, "a name");
        Assert(Utf8.Read(NativeMethods.aimis_result_name((int)AimisResult.InvalidText)) == "AIMIS_INVALID_TEXT", "codes match");
    }

    static void PatientStudiesListsTheDemoStudies()
    {
        using (AimisClient client = Client())
        {
            string studies = client.PatientStudies(Studies(Phone));
            Assert(studies.StartsWith("["), "a JSON array");
            Contains(studies, "\"reportId\":\"R0001\"");
        }
    }

    static void PatientConsultationsGivesTheH5Page()
    {
        using (AimisClient client = Client())
        {
            string page = client.PatientConsultations("{\"hisId\":\"HIS0001\",\"phoneNum\":\"" + Phone + "\",\"idNum\":\"" + IdNum +
                                                      "\",\"hospitalId\":\"H0001\",\"unionId\":\"U0001\"}");
            Contains(page, "\"h5Url\":\"https://");
        }
    }

    static void PatientReportUrlGivesTheReportAndImages()
    {
        using (AimisClient client = Client())
        {
            string urls = client.PatientReportUrl("{\"reportId\":\"R0001\",\"phoneNum\":\"" + Phone + "\",\"idNum\":\"" + IdNum +
                                                  "\",\"hospitalId\":\"H0001\"}");
            Contains(urls, "\"h5DetailUrl\"");
            // Call() by any spelling reaches the same endpoint.
            Assert(client.Call("patient-report-url", "{\"reportId\":\"R0001\",\"phoneNum\":\"" + Phone + "\",\"idNum\":\"" + IdNum +
                                                     "\",\"hospitalId\":\"H0001\"}") == urls, "same answer");
        }
    }

    static void AnUnknownPatientIsApiError10003()
    {
        using (AimisClient client = Client())
        {
            AimisException e = Throws(() => client.PatientStudies(Studies("13900000000")));
            Assert(e.Result == AimisResult.Api, "AimisResult.Api, got " + e.Result);
            Assert(e.ApiCode == 10003, "API code 10003, got " + e.ApiCode);
            Assert(!e.Message.Contains("13900000000"), "no phone number in: " + e.Message);
        }
    }

    static void AValidationErrorSendsNothing()
    {
        // Nothing listens on port 9: had anything been sent, this would be a transport error.
        using (AimisOptions options = new AimisOptions().SetRetries(0, 1, 1))
        using (AimisClient client = new AimisClient(AppId, Token, "http://127.0.0.1:9", options))
        {
            AimisException e = Throws(() => client.PatientStudies("{\"phoneNum\":\"" + Phone + "\"}"));
            Assert(e.Result == AimisResult.Validation, "Validation, got " + e.Result);
            Contains(e.Message, "idNum");
            Assert(!e.Message.Contains(Phone), "no phone number in: " + e.Message);
            e = Throws(() => client.Call("noSuchEndpoint", "{}"));
            Assert(e.Result == AimisResult.UnknownEndpoint, "UnknownEndpoint, got " + e.Result);
            e = Throws(() => new AimisOptions().SetTimeoutMs(0));
            Assert(e.Result == AimisResult.Validation, "a refused option");
        }
    }

    static string CallbackBody(string token)
    {
        return "{\"status\":3,\"phoneNum\":\"" + AimisFunctions.EncryptField(token, Phone) + "\",\"idNum\":\"" +
               AimisFunctions.EncryptField(token, IdNum) + "\",\"patientId\":\"P0001\",\"hospitalId\":\"H0001\"," +
               "\"studyType\":0,\"studyDate\":\"2025-01-15 09:30:00\",\"studyId\":\"S0001\"," +
               "\"h5Url\":\"https://h5.example/r\",\"h5DetailUrl\":\"https://h5.example/i\",\"reportId\":\"R0001\"}";
    }

    static void AGoodCallbackIsVerifiedAndATamperedOneIsNot()
    {
        string ts = NowMs();
        string signature = AimisFunctions.Sign(AppId, Token, ts);
        byte[] body = Encoding.UTF8.GetBytes(CallbackBody(Token));
        string json = AimisFunctions.VerifyCallback(AppId, Token, AppId, ts, signature, body);
        Contains(json, "\"phoneNum\":\"" + Phone + "\"");
        Contains(json, "\"idNum\":\"" + IdNum + "\"");
        char[] flipped = signature.ToCharArray();
        flipped[0] = flipped[0] == '0' ? '1' : '0';
        AimisException e = Throws(() => AimisFunctions.VerifyCallback(AppId, Token, AppId, ts, new string(flipped), body));
        Assert(e.Result == AimisResult.CallbackRejected, "CallbackRejected, got " + e.Result);
        e = Throws(() => AimisFunctions.VerifyCallback(AppId, Token, AppId, ts, signature, Encoding.UTF8.GetBytes("{\"status\":3}")));
        Assert(e.Result == AimisResult.CallbackMalformed, "CallbackMalformed, got " + e.Result);
        e = Throws(() => AimisFunctions.VerifyCallback(AppId, Token, null, ts, signature, body));
        Assert(e.Result == AimisResult.CallbackRejected, "a missing header");
    }

    static void FieldsEncryptAndDecrypt()
    {
        Assert(AimisFunctions.EncryptField(Token, "hello") == "a59c096412eecb79830021104f861307", "known answer");
        string hex = AimisFunctions.EncryptField(Token, NameText);
        Assert(AimisFunctions.DecryptField(Token, hex) == NameText, "round trip");
        Assert(AimisFunctions.DecryptField(Token, AimisFunctions.EncryptField(Token, "")) == "", "empty string");
        AimisException e = Throws(() => AimisFunctions.DecryptField(Token, "zz"));
        Assert(e.Result == AimisResult.Crypto, "Crypto, got " + e.Result);
    }

    // Every import is Winapi: stdcall in the x86 aimis.dll a 32-bit HIS loads, the platform's
    // only convention elsewhere; "aimis" is aimis.dll on Windows, libaimis.so here.
    static void NativeFunctionsUseTheWindowsConventionOnX86()
    {
        int imports = 0;
        foreach (MethodInfo m in typeof(NativeMethods).GetMethods(BindingFlags.Public | BindingFlags.Static))
        {
            if ((m.Attributes & MethodAttributes.PinvokeImpl) == 0) continue;
            DllImportAttribute import = (DllImportAttribute)Attribute.GetCustomAttribute(m, typeof(DllImportAttribute));
            Assert(import != null && import.Value == "aimis", m.Name + " imports from \"aimis\"");
            Assert(import.CallingConvention == CallingConvention.Winapi, m.Name + " is " + import.CallingConvention + ", not Winapi");
            imports++;
        }
        Assert(imports > 40, "the imports were found (" + imports + ")");
    }

    static PatientStudiesRequest TypedStudies(string phone, string idNum, string hospitalId)
    {
        return new PatientStudiesRequest
        {
            PhoneNum = phone, IdNum = idNum, HospitalId = hospitalId, UnionId = "U0001",
            StudyType = StudyType.Radiology, DataFlag = DataFlag.All, Usage = Usage.DoctorView,
            StudyDateBegin = new DateTime(2025, 1, 1), StudyDateEnd = new DateTime(2025, 12, 31, 23, 59, 59),
        };
    }

    // The typed layer: request classes in, records out, enums as enums, absent fields null.
    static void TypedQueriesGiveRecords()
    {
        using (AimisClient client = Client())
        {
            List<Study> studies = client.PatientStudies(TypedStudies(Phone, IdNum, "H0001"));
            Study first = studies.Find(x => x.ReportId == "R0001");
            Assert(first != null, "R0001 among " + studies.Count + " studies");
            Assert(first.StudyType == StudyType.Radiology, "studyType 0 is Radiology");
            Assert(first.StudyName == "Chest CT, plain scan", "the study name");
            Assert(studies.TrueForAll(x => x.StudyType == StudyType.Radiology), "only radiology, as asked");

            ConsultationList page = client.PatientConsultations(new PatientConsultationsRequest
            {
                HisId = "HIS0001", PhoneNum = Phone, IdNum = IdNum, HospitalId = "H0001", UnionId = "U0001",
            });
            Assert(page.H5Url.StartsWith("https://"), "the consultations page");

            PatientStudyUrl urls = client.PatientReportUrl(new PatientReportUrlRequest
            {
                ReportId = "R0001", PhoneNum = Phone, IdNum = IdNum, HospitalId = "H0001",
            });
            Assert(urls.H5DetailUrl.EndsWith("/images/R0001"), "the images page");

            // Chinese text and characters outside the BMP both ways.
            List<Study> chinese = client.PatientStudies(TypedStudies("13900139000", "11010519491231002X", "\u4ec1\u6d4e\u533b\u9662\uff08\u4e1c\u9662\uff09"));
            Assert(chinese.Count == 1 && chinese[0].StudyName == "\u80f8\u90e8CT\u5e73\u626b\uff0c\u589e\u5f3a\uff08\u6025\u8bca\uff09", "the Chinese study name");
            Assert(chinese[0].ApplyDoctor == "\u674e\ud842\udfb7", "the doctor's rare name");

            // A required field left unset is libaimis's validation error, naming it.
            PatientStudiesRequest missing = TypedStudies(Phone, IdNum, "H0001");
            missing.StudyType = null;
            AimisException e = Throws(() => client.PatientStudies(missing));
            Assert(e.Result == AimisResult.Validation, "Validation, got " + e.Result);
            Contains(e.Message, "studyType");
            e = Throws(() => client.PatientStudies(TypedStudies("13900000000", IdNum, "H0001")));
            Assert(e.Result == AimisResult.Api && e.ApiCode == 10003, "API code 10003");
        }
    }

    // A client set to GB18030 (as a code page 936 program sets it) takes and gives .NET
    // strings: AimisClient encodes requests and decodes answers in the client's encoding.
    static void AGb18030ClientTakesAndGivesStrings()
    {
        using (AimisOptions options = new AimisOptions().SetRetries(0, 1, 1).SetTextEncoding(AimisTextEncoding.Gb18030))
        using (AimisClient client = new AimisClient(AppId, Token, Url, options))
        {
            string hospital = "\u4ec1\u6d4e\u533b\u9662\uff08\u4e1c\u9662\uff09";
            List<Study> studies = client.PatientStudies(TypedStudies("13900139000", "11010519491231002X", hospital));
            Assert(studies.Count == 1, "one study, got " + studies.Count);
            Assert(studies[0].StudyName == "\u80f8\u90e8CT\u5e73\u626b\uff0c\u589e\u5f3a\uff08\u6025\u8bca\uff09", "the Chinese study name");
            Assert(studies[0].ApplyDoctor == "\u674e\ud842\udfb7", "the doctor's rare name");
            string json = client.PatientStudies(TypedStudies("13900139000", "11010519491231002X", hospital).ToJson());
            Contains(json, "\u674e\ud842\udfb7");
        }
    }

    // A typed batch: one outcome per request, in order, a refusal being that row's outcome.
    static void ATypedBatchGivesOneOutcomePerRequest()
    {
        using (AimisClient client = Client())
        {
            List<BatchOutcome<List<Study>>> outcomes = client.PatientStudiesBatch(new List<PatientStudiesRequest>
            {
                TypedStudies(Phone, IdNum, "H0001"),
                TypedStudies("13900000000", IdNum, "H0001"),
                TypedStudies("13900139000", "11010519491231002X", "\u4ec1\u6d4e\u533b\u9662\uff08\u4e1c\u9662\uff09"),
            }, 2);
            Assert(outcomes.Count == 3, "three outcomes, got " + outcomes.Count);
            Assert(outcomes[0].Row == 1 && outcomes[0].Ok && outcomes[0].Data.Exists(x => x.ReportId == "R0001"), "row 1: the demo studies");
            Assert(outcomes[1].Row == 2 && !outcomes[1].Ok && outcomes[1].ErrorCode == 10003 && outcomes[1].Data == null, "row 2: API code 10003");
            Assert(outcomes[2].Row == 3 && outcomes[2].Ok && outcomes[2].Data[0].ApplyDoctor == "\u674e\ud842\udfb7", "row 3: the rare name");
            NullIs("requests", () => client.PatientStudiesBatch(null));
        }
    }

    // A request to the simulator's admin routes: the status code.
    static int Admin(string method, string path, string body)
    {
        HttpWebRequest request = (HttpWebRequest)WebRequest.Create(Url.TrimEnd('/') + path);
        request.Method = method;
        request.ContentType = "application/json";
        request.Headers["Authorization"] = "Bearer " + Environment.GetEnvironmentVariable("AIMIS_SIM_ADMIN_TOKEN");
        byte[] bytes = Encoding.UTF8.GetBytes(body);
        request.ContentLength = bytes.Length;
        using (Stream s = request.GetRequestStream()) s.Write(bytes, 0, bytes.Length);
        try
        {
            using (HttpWebResponse response = (HttpWebResponse)request.GetResponse()) return (int)response.StatusCode;
        }
        catch (WebException e)
        {
            HttpWebResponse response = e.Response as HttpWebResponse;
            return response == null ? 0 : (int)response.StatusCode;
        }
    }

    // The inbox consumer: the simulator's signed callback for S0004, received by
    // `aimis inbox serve`, handed out once as a typed record, then acknowledged.
    static void TheInboxHandsOutATypedCallbackOnce()
    {
        Assert(Admin("PUT", "/__admin/callback-url", "{\"url\":\"" + Environment.GetEnvironmentVariable("AIMIS_INBOX_URL") + "\"}") == 200, "callback URL set");
        try
        {
            Assert(Admin("POST", "/__admin/studies/S0004/status", "{\"status\":1}") == 200, "S0004 advanced");
        }
        finally { Admin("PUT", "/__admin/callback-url", "{\"url\":null}"); }
        using (AimisInbox inbox = new AimisInbox(Environment.GetEnvironmentVariable("AIMIS_INBOX_STORE"), AppId, Token))
        {
            InboxItem item = inbox.Next(30);
            Assert(item != null, "a callback is pending");
            Assert(item.Callback.StudyId == "S0004" && item.Callback.Status == StudyStatus.ReportReady, "S0004's report is ready");
            Assert(item.Callback.PhoneNum == Phone, "phoneNum decrypted");
            Assert(item.Callback.StudyType.HasValue, "the study type");
            inbox.Ack(item.Id);
            Assert(inbox.Next(30) == null, "nothing pending once acknowledged");
        }
        NullIs("storeUrl", () => new AimisInbox(null, AppId, Token));
    }

    static void NullIs(string paramName, Action action)
    {
        try { action(); }
        catch (ArgumentNullException e)
        {
            Assert(e.ParamName == paramName, "ParamName " + e.ParamName + ", not " + paramName);
            return;
        }
        throw new Exception("no ArgumentNullException for " + paramName);
    }

    // A null where libaimis needs a value is .NET's own ArgumentNullException naming the
    // parameter, before anything reaches libaimis.
    static void NullArgumentsAreArgumentNullExceptions()
    {
        NullIs("appId", () => new AimisClient(null, Token, Url));
        NullIs("token", () => new AimisClient(AppId, null, Url, null));
        using (AimisClient client = Client())
        {
            NullIs("requestJson", () => client.PatientStudies((string)null));
            NullIs("request", () => client.PatientStudies((PatientStudiesRequest)null));
            NullIs("endpoint", () => client.Call(null, "{}"));
        }
        NullIs("plaintext", () => AimisFunctions.EncryptField(Token, null));
        NullIs("token", () => AimisFunctions.DecryptField(null, "00"));
        NullIs("timestampMs", () => AimisFunctions.Sign(AppId, Token, null));
        NullIs("appId", () => AimisFunctions.VerifyCallback(null, Token, AppId, "1", "s", new byte[0]));
        using (AimisOptions options = new AimisOptions())
            NullIs("proxy_url", () => options.SetProxy(null));
    }

    static void Gb18030TextRoundTrips()
    {
        // Encrypted as UTF-8 on the wire: the same hex as from the UTF-16 string.
        IntPtr hex;
        AimisException.Check(NativeMethods.aimis_encrypt_field_with_encoding(Utf8.Encode(Token), Z(NameGb), AimisTextEncoding.Gb18030, out hex));
        string hexText = Utf8.TakeString(hex);
        Assert(hexText == AimisFunctions.EncryptField(Token, NameText), "UTF-8 on the wire");
        // Back into a buffer we own: too small first, then the size it asked for.
        byte[] small = new byte[4];
        UIntPtr needed;
        AimisResult r = NativeMethods.aimis_decrypt_field_into(Utf8.Encode(Token), Utf8.Encode(hexText), AimisTextEncoding.Gb18030, small, (UIntPtr)small.Length, out needed);
        Assert(r == AimisResult.BufferTooSmall, "BufferTooSmall, got " + r);
        Assert((int)needed == NameGb.Length + 1, "needed counts the NUL");
        Assert(small[0] == 0, "nothing written");
        byte[] buffer = new byte[(int)needed];
        AimisException.Check(NativeMethods.aimis_decrypt_field_into(Utf8.Encode(Token), Utf8.Encode(hexText), AimisTextEncoding.Gb18030, buffer, needed, out needed));
        Assert(buffer.Length == NameGb.Length + 1 && HasBytes(buffer, buffer.Length, NameGb) && buffer[NameGb.Length] == 0, "GB18030 bytes back");
        // Not GB18030: refused, never replaced.
        r = NativeMethods.aimis_encrypt_field_with_encoding(Utf8.Encode(Token), Z(0x61, 0x81), AimisTextEncoding.Gb18030, out hex);
        Assert(r == AimisResult.InvalidText, "InvalidText, got " + r);
    }

    static void AGb18030ClientQueriesInGb18030()
    {
        AimisOptionsHandle options;
        AimisClientHandle client;
        AimisException.Check(NativeMethods.aimis_options_new(out options));
        AimisException.Check(NativeMethods.aimis_options_set_text_encoding(options, AimisTextEncoding.Gb18030));
        AimisException.Check(NativeMethods.aimis_client_new_with_options(Utf8.Encode(AppId), Utf8.Encode(Token), Utf8.Encode(Url), options, out client));
        options.Dispose();
        using (client)
        {
            byte[] request = Z(Concat(Ascii("{\"phoneNum\":\"13900139000\",\"idNum\":\"11010519491231002X\",\"hospitalId\":\""), HospitalGb,
                Ascii("\",\"unionId\":\"U0001\",\"studyType\":0,\"dataFlag\":\"ThisHospital\",\"usage\":2," +
                      "\"studyDateBegin\":\"2025-01-01 00:00:00\",\"studyDateEnd\":\"2025-12-31 23:59:59\"}")));
            byte[] buffer = new byte[64 * 1024];
            UIntPtr needed;
            AimisException.Check(NativeMethods.aimis_client_call_into(client, Utf8.Encode("patientStudies"), request, buffer, (UIntPtr)buffer.Length, out needed));
            int length = (int)needed - 1;
            Assert(buffer[length] == 0, "NUL-terminated");
            Assert(HasBytes(buffer, length, Ascii("\"reportId\":\"R0900\"")), "the study of this hospital");
            Assert(HasBytes(buffer, length, StudyNameGb), "the study name in GB18030");
            Assert(HasBytes(buffer, length, DoctorGb), "the doctor's rare name in GB18030");
        }
    }

    static void EightThreadsShareOneClient()
    {
        using (AimisClient client = Client())
        {
            int ok = 0;
            List<Exception> errors = new List<Exception>();
            List<Thread> threads = new List<Thread>();
            for (int t = 0; t < 8; t++)
            {
                Thread thread = new Thread(() =>
                {
                    try
                    {
                        for (int i = 0; i < 5; i++)
                        {
                            if (client.PatientStudies(Studies(Phone)).Contains("R0001")) Interlocked.Increment(ref ok);
                            AimisException e = Throws(() => client.PatientStudies(Studies("13900000000")));
                            if (e.ApiCode != 10003) throw new Exception("this thread's own API code, got " + e.ApiCode);
                        }
                    }
                    catch (Exception e) { lock (errors) errors.Add(e); }
                });
                threads.Add(thread);
                thread.Start();
            }
            foreach (Thread thread in threads) thread.Join();
            if (errors.Count > 0) throw errors[0];
            Assert(ok == 40, "40 answers, got " + ok);
        }
    }

    static int Main()
    {
        if (Url == null)
        {
            Console.Error.WriteLine("set AIMIS_SIM_URL to a running `aimis sim` (bindings/tests/run.sh does)");
            return 2;
        }
        var tests = new List<KeyValuePair<string, Action>>
        {
            new KeyValuePair<string, Action>("version_matches_the_bindings", VersionMatchesTheBindings),
            new KeyValuePair<string, Action>("patient_studies_lists_the_demo_studies", PatientStudiesListsTheDemoStudies),
            new KeyValuePair<string, Action>("patient_consultations_gives_the_h5_page", PatientConsultationsGivesTheH5Page),
            new KeyValuePair<string, Action>("patient_report_url_gives_the_report_and_images", PatientReportUrlGivesTheReportAndImages),
            new KeyValuePair<string, Action>("an_unknown_patient_is_api_error_10003", AnUnknownPatientIsApiError10003),
            new KeyValuePair<string, Action>("a_validation_error_sends_nothing", AValidationErrorSendsNothing),
            new KeyValuePair<string, Action>("a_good_callback_is_verified_and_a_tampered_one_is_not", AGoodCallbackIsVerifiedAndATamperedOneIsNot),
            new KeyValuePair<string, Action>("fields_encrypt_and_decrypt", FieldsEncryptAndDecrypt),
            new KeyValuePair<string, Action>("native_functions_use_the_windows_convention_on_x86", NativeFunctionsUseTheWindowsConventionOnX86),
            new KeyValuePair<string, Action>("typed_queries_give_records", TypedQueriesGiveRecords),
            new KeyValuePair<string, Action>("a_gb18030_client_takes_and_gives_strings", AGb18030ClientTakesAndGivesStrings),
            new KeyValuePair<string, Action>("a_typed_batch_gives_one_outcome_per_request", ATypedBatchGivesOneOutcomePerRequest),
            new KeyValuePair<string, Action>("the_inbox_hands_out_a_typed_callback_once", TheInboxHandsOutATypedCallbackOnce),
            new KeyValuePair<string, Action>("null_arguments_are_argument_null_exceptions", NullArgumentsAreArgumentNullExceptions),
            new KeyValuePair<string, Action>("gb18030_text_round_trips", Gb18030TextRoundTrips),
            new KeyValuePair<string, Action>("a_gb18030_client_queries_in_gb18030", AGb18030ClientQueriesInGb18030),
            new KeyValuePair<string, Action>("eight_threads_share_one_client", EightThreadsShareOneClient),
        };
        int passed = 0, failed = 0;
        foreach (var test in tests)
        {
            try
            {
                test.Value();
                passed++;
                Console.WriteLine("ok   csharp::" + test.Key);
            }
            catch (Exception e)
            {
                failed++;
                Console.WriteLine("FAIL csharp::" + test.Key);
                Console.WriteLine("    " + e.GetType().Name + ": " + e.Message);
            }
        }
        Console.WriteLine(passed + " passed, " + failed + " failed");
        return failed == 0 ? 0 : 1;
    }
}
