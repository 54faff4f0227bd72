// QueryStudies.java: list a patient's studies of 2025 with the Java bindings.
//   javac -cp jna.jar QueryStudies.java aimis/Aimis.java
//   java -cp jna.jar:. -Djna.library.path=DIR_OF_LIBAIMIS QueryStudies
import aimis.Aimis;
import aimis.Aimis.AimisClient;

public class QueryStudies {
    public static void main(String[] args) {
        String baseUrl = System.getenv("AIMIS_BASE_URL"); // null: production
        try (AimisClient client = new AimisClient(System.getenv("AIMIS_APP_ID"), System.getenv("AIMIS_TOKEN"), baseUrl)) {
            // Vendor field names, patient data in plaintext: libaimis encrypts and signs.
            String studies = client.patientStudies(
                "{\"phoneNum\":\"13800138000\",\"idNum\":\"110101199003074518\","
                + "\"hospitalId\":\"H0001\",\"unionId\":\"U0001\",\"studyType\":\"Radiology\","
                + "\"dataFlag\":\"All\",\"usage\":\"DoctorView\","
                + "\"studyDateBegin\":\"2025-01-01 00:00:00\",\"studyDateEnd\":\"2025-12-31 23:59:59\"}");
            System.out.println(studies); // a JSON array of studies
        } catch (Aimis.ApiException e) {
            // The platform said no: 10003 no data, 90002 bad signature...
            System.err.println("AIMIS refused the query (code " + e.getApiCode() + "): " + e.getMessage());
            System.exit(1);
        } catch (Aimis.AimisException e) {
            System.err.println("query failed: " + e.getMessage());
            System.exit(1);
        }
    }
}
