{ The Pascal bindings against `aimis sim` (bindings/tests/run.sh sets AIMIS_SIM_URL): the
  three queries, API and validation errors, callback verification, the field cipher and
  GB18030 through the raw declarations. One thread: TThread needs the cthreads unit on
  Unix and adds nothing the C and Java suites' thread tests do not cover. }
program aimis_tests;

{$mode delphi}{$H+}
{$codepage utf8}

uses
  SysUtils, DateUtils, aimis;

const
  APP_ID = 'demo-app';
  TOKEN = '0123456789abcdef0123456789abcdef';
  PHONE = '13800138000';
  ID_NUM = '110101199003074518';

type
  TTest = procedure;

var
  SimUrl: UTF8String;
  Passed, Failed: Integer;

procedure Check(Condition: Boolean; const What: string);
begin
  if not Condition then
    raise Exception.Create('assertion failed: ' + What);
end;

procedure Contains(const Haystack, Needle: RawByteString);
begin
  Check(Pos(Needle, Haystack) > 0, '"' + string(Needle) + '" in "' + string(Haystack) + '"');
end;

function Bytes(const B: array of Byte): RawByteString;
begin
  SetLength(Result, Length(B));
  if Length(B) > 0 then
    Move(B[0], Result[1], Length(B));
  SetCodePage(Result, CP_NONE, False);
end;

function Studies(const Phone: string): UTF8String;
begin
  Result := '{"phoneNum":"' + Phone + '","idNum":"' + ID_NUM + '","hospitalId":"H0001",' +
    '"unionId":"U0001","studyType":"Radiology","dataFlag":"All","usage":"DoctorView",' +
    '"studyDateBegin":"2025-01-01 00:00:00","studyDateEnd":"2025-12-31 23:59:59"}';
end;

function NewClient: TAimisClient;
var
  Options: TAimisOptions;
begin
  Options := TAimisOptions.Create;
  try
    Options.SetRetries(0, 1, 1).SetTimeoutMs(5000);
    Result := TAimisClient.Create(APP_ID, TOKEN, SimUrl, Options);
  finally
    Options.Free;
  end;
end;

procedure VersionMatchesTheBindings;
begin
  Check(string(aimis_version()) = AIMIS_BINDINGS_VERSION, 'version ' + string(aimis_version()));
  Check(string(aimis_result_name(AIMIS_INVALID_TEXT)) = 'AIMIS_INVALID_TEXT', 'codes match');
end;

procedure PatientStudiesListsTheDemoStudies;
var
  Client: TAimisClient;
  Answer: UTF8String;
begin
  Client := NewClient;
  try
    Answer := Client.PatientStudies(Studies(PHONE));
    Check(Copy(Answer, 1, 1) = '[', 'a JSON array');
    Contains(Answer, '"reportId":"R0001"');
  finally
    Client.Free;
  end;
end;

procedure PatientConsultationsGivesTheH5Page;
var
  Client: TAimisClient;
begin
  Client := NewClient;
  try
    Contains(Client.PatientConsultations('{"hisId":"HIS0001","phoneNum":"' + PHONE + '","idNum":"' +
      ID_NUM + '","hospitalId":"H0001","unionId":"U0001"}'), '"h5Url":"https://');
  finally
    Client.Free;
  end;
end;

procedure PatientReportUrlGivesTheReportAndImages;
var
  Client: TAimisClient;
  Request, Urls: UTF8String;
begin
  Client := NewClient;
  try
    Request := '{"reportId":"R0001","phoneNum":"' + PHONE + '","idNum":"' + ID_NUM + '","hospitalId":"H0001"}';
    Urls := Client.PatientReportUrl(Request);
    Contains(Urls, '"h5DetailUrl"');
    Check(Client.Call('patient-report-url', Request) = Urls, 'Call by any spelling');
  finally
    Client.Free;
  end;
end;

procedure AnUnknownPatientIsApiError10003;
var
  Client: TAimisClient;
begin
  Client := NewClient;
  try
    try
      Client.PatientStudies(Studies('13900000000'));
      raise Exception.Create('no EAimisError');
    except
      on E: EAimisError do
      begin
        Check(E.ResultCode = AIMIS_API, 'AIMIS_API, got ' + IntToStr(E.ResultCode));
        Check(E.ApiCode = 10003, 'API code 10003, got ' + IntToStr(E.ApiCode));
        Check(Pos('13900000000', E.Message) = 0, 'no phone number in ' + E.Message);
      end;
    end;
  finally
    Client.Free;
  end;
end;

procedure AValidationErrorSendsNothing;
var
  Client: TAimisClient;
  Options: TAimisOptions;
begin
  { Nothing listens on port 9: had anything been sent, this would be a transport error. }
  Options := TAimisOptions.Create;
  Options.SetRetries(0, 1, 1);
  Client := TAimisClient.Create(APP_ID, TOKEN, 'http://127.0.0.1:9', Options);
  Options.Free;
  try
    try
      Client.PatientStudies('{"phoneNum":"' + PHONE + '"}');
      raise Exception.Create('no EAimisError');
    except
      on E: EAimisError do
      begin
        Check(E.ResultCode = AIMIS_VALIDATION, 'AIMIS_VALIDATION, got ' + IntToStr(E.ResultCode));
        Check(Pos('idNum', E.Message) > 0, 'names the field: ' + E.Message);
        Check(Pos(PHONE, E.Message) = 0, 'no phone number in ' + E.Message);
      end;
    end;
  finally
    Client.Free;
  end;
end;

function CallbackBody: UTF8String;
begin
  Result := '{"status":3,"phoneNum":"' + AimisEncryptField(TOKEN, PHONE) + '","idNum":"' +
    AimisEncryptField(TOKEN, ID_NUM) + '","patientId":"P0001","hospitalId":"H0001",' +
    '"studyType":0,"studyDate":"2025-01-15 09:30:00","studyId":"S0001",' +
    '"h5Url":"https://h5.example/r","h5DetailUrl":"https://h5.example/i","reportId":"R0001"}';
end;

procedure AGoodCallbackIsVerifiedAndATamperedOneIsNot;
var
  Ts, Signature, Flipped, Json: UTF8String;
begin
  Ts := IntToStr(DateTimeToUnix(LocalTimeToUniversal(Now)) * 1000);
  Signature := AimisSign(APP_ID, TOKEN, Ts);
  Json := AimisVerifyCallback(APP_ID, TOKEN, APP_ID, Ts, Signature, CallbackBody);
  Contains(Json, '"phoneNum":"' + PHONE + '"');
  Contains(Json, '"idNum":"' + ID_NUM + '"');
  Flipped := Signature;
  if Flipped[1] = '0' then Flipped[1] := '1' else Flipped[1] := '0';
  try
    AimisVerifyCallback(APP_ID, TOKEN, APP_ID, Ts, Flipped, CallbackBody);
    raise Exception.Create('no EAimisError');
  except
    on E: EAimisError do
      Check(E.ResultCode = AIMIS_CALLBACK_REJECTED, 'rejected, got ' + IntToStr(E.ResultCode));
  end;
  try
    AimisVerifyCallback(APP_ID, TOKEN, APP_ID, Ts, Signature, '{"status":3}');
    raise Exception.Create('no EAimisError');
  except
    on E: EAimisError do
      Check(E.ResultCode = AIMIS_CALLBACK_MALFORMED, 'malformed, got ' + IntToStr(E.ResultCode));
  end;
end;

procedure FieldsEncryptAndDecrypt;
const
  Name: UTF8String = '王䶮（急诊）李𠮷';
begin
  Check(AimisEncryptField(TOKEN, 'hello') = 'a59c096412eecb79830021104f861307', 'known answer');
  Check(AimisDecryptField(TOKEN, AimisEncryptField(TOKEN, Name)) = Name, 'round trip');
  Check(AimisDecryptField(TOKEN, AimisEncryptField(TOKEN, '')) = '', 'empty string');
  try
    AimisDecryptField(TOKEN, 'zz');
    raise Exception.Create('no EAimisError');
  except
    on E: EAimisError do
      Check(E.ResultCode = AIMIS_CRYPTO, 'AIMIS_CRYPTO, got ' + IntToStr(E.ResultCode));
  end;
end;

{ "王䶮（急诊）李𠮷" in GB18030: U+4DAE is outside GBK, U+20BB7 outside the BMP. }
function NameGb18030: RawByteString;
begin
  Result := Bytes([$CD, $F5, $FE, $9F, $A3, $A8, $BC, $B1, $D5, $EF, $A3, $A9, $C0, $EE, $95, $34, $B2, $35]);
end;

procedure Gb18030TextRoundTrips;
const
  Name: UTF8String = '王䶮（急诊）李𠮷';
var
  Hex: PAnsiChar;
  HexText: UTF8String;
  Small: array[0..3] of AnsiChar;
  Buffer: RawByteString;
  Needed: NativeUInt;
  R: Integer;
begin
  AimisCheck(aimis_encrypt_field_with_encoding(PAnsiChar(TOKEN), PAnsiChar(NameGb18030),
    AIMIS_TEXT_ENCODING_GB18030, @Hex));
  HexText := UTF8String(Hex);
  aimis_string_free(Hex);
  Check(HexText = AimisEncryptField(TOKEN, Name), 'UTF-8 on the wire');
  FillChar(Small, SizeOf(Small), 0);
  R := aimis_decrypt_field_into(PAnsiChar(TOKEN), PAnsiChar(HexText), AIMIS_TEXT_ENCODING_GB18030,
    @Small[0], SizeOf(Small), @Needed);
  Check(R = AIMIS_BUFFER_TOO_SMALL, 'AIMIS_BUFFER_TOO_SMALL, got ' + IntToStr(R));
  Check(Needed = NativeUInt(Length(NameGb18030) + 1), 'needed counts the NUL');
  Check(Small[0] = #0, 'nothing written');
  SetLength(Buffer, Needed);
  AimisCheck(aimis_decrypt_field_into(PAnsiChar(TOKEN), PAnsiChar(HexText), AIMIS_TEXT_ENCODING_GB18030,
    PAnsiChar(Buffer), Needed, @Needed));
  SetLength(Buffer, Needed - 1);
  Check(Buffer = NameGb18030, 'GB18030 bytes back');
  R := aimis_encrypt_field_with_encoding(PAnsiChar(TOKEN), PAnsiChar(Bytes([$61, $81])),
    AIMIS_TEXT_ENCODING_GB18030, @Hex);
  Check(R = AIMIS_INVALID_TEXT, 'AIMIS_INVALID_TEXT, got ' + IntToStr(R));
end;

procedure AGb18030ClientQueriesInGb18030;
var
  Options: TAimisOptions;
  Client: TAimisClient;
  Request, Answer: RawByteString;
  Needed: NativeUInt;
begin
  Options := TAimisOptions.Create;
  Options.SetTextEncoding(AIMIS_TEXT_ENCODING_GB18030).SetRetries(0, 1, 1);
  Client := TAimisClient.Create(APP_ID, TOKEN, SimUrl, Options);
  Options.Free;
  try
    { hospitalId "仁济医院（东院）" in GB18030 }
    Request := Bytes([]) + '{"phoneNum":"13900139000","idNum":"11010519491231002X","hospitalId":"' +
      Bytes([$C8, $CA, $BC, $C3, $D2, $BD, $D4, $BA, $A3, $A8, $B6, $AB, $D4, $BA, $A3, $A9]) +
      '","unionId":"U0001","studyType":0,"dataFlag":"ThisHospital","usage":2,' +
      '"studyDateBegin":"2025-01-01 00:00:00","studyDateEnd":"2025-12-31 23:59:59"}';
    SetLength(Answer, 65536);
    AimisCheck(aimis_client_call_into(Client.Handle, 'patientStudies', PAnsiChar(Request),
      PAnsiChar(Answer), Length(Answer), @Needed));
    SetLength(Answer, Needed - 1);
    Contains(Answer, '"reportId":"R0900"');
    { "胸部CT平扫，增强（急诊）" and the doctor "李𠮷", in GB18030 }
    Contains(Answer, Bytes([$D0, $D8, $B2, $BF, $43, $54, $C6, $BD, $C9, $A8, $A3, $AC, $D4, $F6, $C7,
      $BF, $A3, $A8, $BC, $B1, $D5, $EF, $A3, $A9]));
    Contains(Answer, Bytes([$C0, $EE, $95, $34, $B2, $35]));
  finally
    Client.Free;
  end;
end;

function TypedStudies(const Phone, IdNum, HospitalId: UTF8String): TAimisPatientStudiesRequest;
begin
  Result := Default(TAimisPatientStudiesRequest);
  Result.PhoneNum := Phone;
  Result.IdNum := IdNum;
  Result.HospitalId := HospitalId;
  Result.UnionId := 'U0001';
  Result.StudyType := StudyTypeRadiology;
  Result.DataFlag := DataFlagAll;
  Result.Usage := UsageDoctorView;
  Result.StudyDateBegin := EncodeDateTime(2025, 1, 1, 0, 0, 0, 0);
  Result.StudyDateEnd := EncodeDateTime(2025, 12, 31, 23, 59, 59, 0);
end;

{ The typed layer: request records in, records out, enums as enums. }
procedure TypedQueriesGiveRecords;
var
  Client: TAimisClient;
  Studies: TAimisStudyArray;
  Request: TAimisPatientStudiesRequest;
  Urls: TAimisPatientStudyUrl;
  UrlsRequest: TAimisPatientReportUrlRequest;
  I, Found: Integer;
begin
  Client := TAimisClient.Create(APP_ID, TOKEN, SimUrl);
  try
    Studies := AimisPatientStudies(Client, TypedStudies(PHONE, ID_NUM, 'H0001'));
    Found := -1;
    for I := 0 to High(Studies) do
    begin
      Check(Studies[I].HasStudyType and (Studies[I].StudyType = StudyTypeRadiology), 'only radiology, as asked');
      if Studies[I].ReportId = 'R0001' then Found := I;
    end;
    Check(Found >= 0, 'R0001 among the studies');
    Check(Studies[Found].StudyName = 'Chest CT, plain scan', 'the study name');

    UrlsRequest := Default(TAimisPatientReportUrlRequest);
    UrlsRequest.ReportId := 'R0001';
    UrlsRequest.PhoneNum := PHONE;
    UrlsRequest.IdNum := ID_NUM;
    UrlsRequest.HospitalId := 'H0001';
    Urls := AimisPatientReportUrl(Client, UrlsRequest);
    Contains(Urls.H5DetailUrl, '/images/R0001');

    { Chinese text both ways. }
    Studies := AimisPatientStudies(Client, TypedStudies('13900139000', '11010519491231002X', UTF8String('仁济医院（东院）')));
    Check(Length(Studies) = 1, 'one study');
    Check(Studies[0].StudyName = UTF8String('胸部CT平扫，增强（急诊）'), 'the Chinese study name');
    Check(Studies[0].ApplyDoctor = UTF8String('李𠮷'), 'the doctor''s rare name');

    { A required string left '' is left out: libaimis's validation error names it. }
    Request := TypedStudies(PHONE, ID_NUM, '');
    try
      AimisPatientStudies(Client, Request);
      Check(False, 'no error without hospitalId');
    except
      on E: EAimisError do
      begin
        Check(E.ResultCode = AIMIS_VALIDATION, 'AIMIS_VALIDATION');
        Contains(UTF8String(E.Message), 'hospitalId');
      end;
    end;
  finally
    Client.Free;
  end;
end;

procedure Run(const Name: string; Test: TTest);
begin
  try
    Test;
    Inc(Passed);
    WriteLn('ok   pascal::', Name);
  except
    on E: Exception do
    begin
      Inc(Failed);
      WriteLn('FAIL pascal::', Name);
      WriteLn('    ', E.ClassName, ': ', E.Message);
    end;
  end;
end;

begin
  SimUrl := UTF8String(GetEnvironmentVariable('AIMIS_SIM_URL'));
  if SimUrl = '' then
  begin
    WriteLn(StdErr, 'set AIMIS_SIM_URL to a running `aimis sim` (bindings/tests/run.sh does)');
    Halt(2);
  end;
  Run('version_matches_the_bindings', VersionMatchesTheBindings);
  Run('patient_studies_lists_the_demo_studies', PatientStudiesListsTheDemoStudies);
  Run('patient_consultations_gives_the_h5_page', PatientConsultationsGivesTheH5Page);
  Run('patient_report_url_gives_the_report_and_images', PatientReportUrlGivesTheReportAndImages);
  Run('an_unknown_patient_is_api_error_10003', AnUnknownPatientIsApiError10003);
  Run('a_validation_error_sends_nothing', AValidationErrorSendsNothing);
  Run('a_good_callback_is_verified_and_a_tampered_one_is_not', AGoodCallbackIsVerifiedAndATamperedOneIsNot);
  Run('fields_encrypt_and_decrypt', FieldsEncryptAndDecrypt);
  Run('gb18030_text_round_trips', Gb18030TextRoundTrips);
  Run('a_gb18030_client_queries_in_gb18030', AGb18030ClientQueriesInGb18030);
  Run('typed_queries_give_records', TypedQueriesGiveRecords);
  WriteLn(Passed, ' passed, ', Failed, ' failed');
  if Failed > 0 then
    Halt(1);
end.
