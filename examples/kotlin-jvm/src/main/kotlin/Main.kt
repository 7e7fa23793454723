// A pharmacy's morning on the JVM: receive stock, dispense by FEFO, price the invoice, screen a
// prescription, forecast a slow mover. Records take named arguments and leave out what has a
// default, as in JSON (fields of an enum type, such as a batch's status, are always given:
// UniFFI's defaults are literals).
import org.apotheca.*
import java.math.BigDecimal
import java.time.LocalDate

fun main() {
    val today = LocalDate.of(2026, 11, 20)
    val ledger = Ledger()
    ledger.loadCatalog(Catalog(
        locations = listOf(Location(id = "MAIN", name = "Main Street")),
        products = listOf(Product(id = "AMOX500", name = "Mox 500", genericName = "Amoxicillin 500 mg",
            form = DosageForm.CAPSULE, packSize = 10, schedule = Schedule.PRESCRIPTION,
            taxCategory = "3004", storage = StorageClass.AMBIENT)),
        batches = listOf(
            Batch(product = "AMOX500", batch = "EARLY", expiry = parseExpiry("EXP 01/2027"),
                unitCost = BigDecimal("2.10"), mrp = BigDecimal("4.62"), status = BatchStatus.RELEASED),
            Batch(product = "AMOX500", batch = "LATE", expiry = LocalDate.of(2027, 9, 30),
                unitCost = BigDecimal("2.05"), mrp = BigDecimal("4.62"), status = BatchStatus.RELEASED),
        ),
    ))
    ledger.post(Posting(key = "grn-1", date = today, lines = listOf(
        Line(movement = Movement.Receipt(null), product = "AMOX500", batch = "LATE", location = "MAIN", qty = 100),
        Line(movement = Movement.Receipt(null), product = "AMOX500", batch = "EARLY", location = "MAIN", qty = 10),
    )))
    val done = ledger.dispense(DispenseRequest(key = "rx-1", date = today, product = "AMOX500",
        location = "MAIN", qty = 21))
    println("picks: " + done.allocation.picks.joinToString { "${it.batch} × ${it.qty}" })

    try {
        ledger.dispense(DispenseRequest(key = "rx-2", date = today, product = "AMOX500", location = "MAIN", qty = 500,
            policy = AllocationPolicy(allowPartial = false)))
    } catch (e: ApothecaException.InsufficientStock) {
        println("refused: ${e.message}")
    }

    val billing = Billing.fromJson("""{"rules": [{"category": "3004", "effective_from": "2025-09-22",
        "components": [{"name": "GST", "kind": "gst", "rate": "5"}]}]}""")
    val invoice = billing.priceInvoice(InvoiceRequest(
        date = today, currency = "INR", sellerRegion = "KA", placeOfSupply = "KA",
        rounding = Rounding(mode = RoundingMode.HALF_UP, level = RoundingLevel.LINE),
        lines = listOf(InvoiceLine(product = "AMOX500", qty = 21, unitPrice = BigDecimal("4.62"),
            taxCategory = "3004", priceIncludesTax = true)),
        words = WordsStyle.INDIAN,
    ))
    println("invoice total: ${invoice.totals.grandTotal} (${invoice.amountInWords})")

    val kb = Interactions.sample()
    val screen = kb.checkNew(CheckRequest(drug = "ibuprofen", current = listOf("warfarin")))
    println("alert: ${screen.alerts.first().severity}")

    val f = forecast(ForecastRequest(series = listOf(Series(id = "AZI500", y = listOf(0.0, 3.0, 0.0, 0.0, 6.0))),
        model = Model.Auto, horizon = 4u))
    println("model: ${f.first().model}")
}
