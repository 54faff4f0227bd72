Attribute VB_Name = "QueryStudies"
' QueryStudies.bas: list a patient's studies of 2025 from VB6 through Aimis.bas and
' the x86 aimis.dll beside the .exe. Project > Add Module (both), Startup Object: Sub Main.
Option Explicit

Public Sub Main()
    Dim options As Long, client As Long, needed As Long, rc As Long
    Dim request As String, answer As String

    rc = aimis_options_new(options)
    ' ByVal String crosses as the system code page: tell the client so.
    rc = aimis_options_set_text_encoding(options, AIMIS_TEXT_ENCODING_SYSTEM)
    ' vbNullString: production; or "http://127.0.0.1:8600" for aimis sim.
    rc = aimis_client_new_with_options(Environ$("AIMIS_APP_ID"), Environ$("AIMIS_TOKEN"), vbNullString, options, client)
    aimis_options_free options
    If rc <> AIMIS_OK Then Exit Sub

    request = "{""phoneNum"":""13800138000"",""idNum"":""110101199003074518""," & _
        """hospitalId"":""H0001"",""unionId"":""U0001"",""studyType"":""Radiology""," & _
        """dataFlag"":""All"",""usage"":""DoctorView""," & _
        """studyDateBegin"":""2025-01-01 00:00:00"",""studyDateEnd"":""2025-12-31 23:59:59""}"
    answer = String$(65536, vbNullChar)
    rc = aimis_client_call_into(client, "patientStudies", request, answer, Len(answer), needed)
    If rc = AIMIS_BUFFER_TOO_SMALL Then ' needed bytes, NUL included
        answer = String$(needed, vbNullChar)
        rc = aimis_client_call_into(client, "patientStudies", request, answer, Len(answer), needed)
    End If
    If rc = AIMIS_OK Then
        Debug.Print Left$(answer, InStr(answer, vbNullChar) - 1) ' a JSON array of studies
    Else
        ' The platform's code (10003: no data) and the message, never patient data.
        answer = String$(1024, vbNullChar)
        aimis_last_error_message_into answer, Len(answer), needed
        Debug.Print "query failed (" & aimis_last_api_code() * 10000 & "): " & Left$(answer, InStr(answer, vbNullChar) - 1)
    End If
    aimis_client_free client
End Sub
