package shop;

import java.util.List;

/** An application's POJO, sent as JSON by the adapter's JsonbSerializer. */
public class Order {

    private String id;
    private int quantity;
    private List<String> items;

    public String getId() {
        return id;
    }

    public void setId(String id) {
        this.id = id;
    }

    public int getQuantity() {
        return quantity;
    }

    public void setQuantity(int quantity) {
        this.quantity = quantity;
    }

    public List<String> getItems() {
        return items;
    }

    public void setItems(List<String> items) {
        this.items = items;
    }
}
