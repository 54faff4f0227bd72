{ query_studies.dpr: list a patient's studies of 2025 with the Delphi / Free Pascal unit.
    fpc -Mdelphi -Fu. -Fl$AIMIS_SDK/lib -k-rpath=$AIMIS_SDK/lib query_studies.dpr   (or a Delphi console project) }
program query_studies;

{$IFDEF FPC}{$mode delphi}{$H+}{$ENDIF}
{$APPTYPE CONSOLE}

uses
  SysUtils, aimis;

var
  Client: TAimisClient;
begin
  try
    { BaseUrl '' means production. }
    Client := TAimisClient.Create(UTF8String(GetEnvironmentVariable('AIMIS_APP_ID')),
      UTF8String(GetEnvironmentVariable('AIMIS_TOKEN')), UTF8String(GetEnvironmentVariable('AIMIS_BASE_URL')));
    try
      { Vendor field names, patient data in plaintext: libaimis encrypts and signs. }
      WriteLn(Client.PatientStudies(
        '{"phoneNum":"13800138000","idNum":"110101199003074518",' +
        '"hospitalId":"H0001","unionId":"U0001","studyType":"Radiology",' +
        '"dataFlag":"All","usage":"DoctorView",' +
        '"studyDateBegin":"2025-01-01 00:00:00","studyDateEnd":"2025-12-31 23:59:59"}'));
    finally
      Client.Free;
    end;
  except
    on E: EAimisError do
    begin
      { E.ResultCode: AIMIS_API (E.ApiCode: 10003 no data...), AIMIS_VALIDATION, AIMIS_TRANSPORT... }
      WriteLn(ErrOutput, 'query failed (API code ', E.ApiCode, '): ', E.Message);
      ExitCode := 1;
    end;
  end;
end.
