// QueryStudies.cs: list a patient's studies of 2025 with the C# bindings.
//   mcs QueryStudies.cs Aimis.cs && mono QueryStudies.exe   (aimis.dll / libaimis.so on the library path)
using System;
using Aimis;

static class QueryStudies
{
    static int Main()
    {
        string baseUrl = Environment.GetEnvironmentVariable("AIMIS_BASE_URL"); // null: production
        try
        {
            using (AimisClient client = new AimisClient(
                Environment.GetEnvironmentVariable("AIMIS_APP_ID"),
                Environment.GetEnvironmentVariable("AIMIS_TOKEN"), baseUrl))
            {
                // Vendor field names, patient data in plaintext: libaimis encrypts and signs.
                string studies = client.PatientStudies(
                    "{\"phoneNum\":\"13800138000\",\"idNum\":\"110101199003074518\"," +
                    "\"hospitalId\":\"H0001\",\"unionId\":\"U0001\",\"studyType\":\"Radiology\"," +
                    "\"dataFlag\":\"All\",\"usage\":\"DoctorView\"," +
                    "\"studyDateBegin\":\"2025-01-01 00:00:00\",\"studyDateEnd\":\"2025-12-31 23:59:59\"}");
                Console.WriteLine(studies); // a JSON array of studies
                return 0;
            }
        }
        catch (AimisException e)
        {
            // e.Result: Api (e.ApiCode: 10003 no data, 90002 bad signature...), Validation, Transport...
            Console.Error.WriteLine("query failed: " + e.Result + " (API code " + e.ApiCode + "): " + e.Message);
            return 1;
        }
    }
}
