<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="ko_KR" sourcelanguage="en">
<context>
    <name>AddProductDialog</name>
    <message>
        <location filename="../staff/catalog_page.py" line="295"/>
        <source>Add product</source>
        <translation>상품 추가</translation>
    </message>
    <message>
        <location filename="../staff/catalog_page.py" line="297"/>
        <source>SKU / barcode</source>
        <translation>SKU / 바코드</translation>
    </message>
    <message>
        <location filename="../staff/catalog_page.py" line="298"/>
        <source>Korean name</source>
        <translation>한국어 상품명</translation>
    </message>
    <message>
        <location filename="../staff/catalog_page.py" line="299"/>
        <source>English name</source>
        <translation>영어 상품명</translation>
    </message>
    <message>
        <location filename="../staff/catalog_page.py" line="300"/>
        <source>Price (won)</source>
        <translation>가격(원)</translation>
    </message>
    <message>
        <location filename="../staff/catalog_page.py" line="301"/>
        <source>Detector class</source>
        <translation>인식 클래스</translation>
    </message>
    <message>
        <location filename="../staff/catalog_page.py" line="315"/>
        <source>SKU {sku} is already in the catalog.</source>
        <translation>이미 등록된 SKU입니다: {sku}</translation>
    </message>
    <message>
        <location filename="../staff/catalog_page.py" line="319"/>
        <source>SKU and both names are required.</source>
        <translation>SKU와 한국어·영어 상품명을 모두 입력하세요.</translation>
    </message>
    <message>
        <location filename="../staff/catalog_page.py" line="325"/>
        <source>A price is a whole, non-negative number of won, e.g. 1500.</source>
        <translation>가격은 0 이상의 정수(원)로 입력하세요. 예: 1500</translation>
    </message>
    <message>
        <location filename="../staff/catalog_page.py" line="329"/>
        <source>No free detector class.</source>
        <translation>남은 인식 클래스가 없습니다.</translation>
    </message>
</context>
<context>
    <name>AttractScreen</name>
    <message>
        <location filename="../shopper/screens.py" line="88"/>
        <source>Welcome!</source>
        <translation>어서 오세요!</translation>
    </message>
    <message>
        <location filename="../shopper/screens.py" line="89"/>
        <source>Put your products on the counter to start.</source>
        <translation>상품을 계산대에 올려 주세요.</translation>
    </message>
    <message>
        <location filename="../shopper/screens.py" line="91"/>
        <source>1  Put products down    2  Check your cart    3  Pay with your face</source>
        <translation>1  상품 올리기    2  장바구니 확인    3  얼굴로 결제</translation>
    </message>
    <message>
        <location filename="../shopper/screens.py" line="93"/>
        <source>Start</source>
        <translation>시작하기</translation>
    </message>
</context>
<context>
    <name>CameraSourceEditor</name>
    <message>
        <location filename="../staff/settings_page.py" line="82"/>
        <source>Demo (no camera)</source>
        <translation>데모 (카메라 없음)</translation>
    </message>
    <message>
        <location filename="../staff/settings_page.py" line="84"/>
        <source>Camera {index}</source>
        <translation>카메라 {index}</translation>
    </message>
    <message>
        <location filename="../staff/settings_page.py" line="85"/>
        <source>Video file or stream URL</source>
        <translation>동영상 파일 또는 스트림 URL</translation>
    </message>
    <message>
        <location filename="../staff/settings_page.py" line="86"/>
        <source>/path/to/video.mp4 or rtsp://…</source>
        <translation>/path/to/video.mp4 또는 rtsp://…</translation>
    </message>
    <message>
        <location filename="../staff/settings_page.py" line="87"/>
        <source>Browse…</source>
        <translation>찾아보기…</translation>
    </message>
    <message>
        <location filename="../staff/settings_page.py" line="116"/>
        <source>Choose a video file</source>
        <translation>동영상 파일 선택</translation>
    </message>
    <message>
        <location filename="../staff/settings_page.py" line="117"/>
        <source>Videos (*.mp4 *.avi *.mkv *.mov);;All files (*)</source>
        <translation>동영상 (*.mp4 *.avi *.mkv *.mov);;모든 파일 (*)</translation>
    </message>
</context>
<context>
    <name>CameraWorker</name>
    <message>
        <location filename="../workers.py" line="147"/>
        <source>The camera source ended without any frame.</source>
        <translation>카메라 소스가 영상을 보내지 않고 끝났습니다.</translation>
    </message>
</context>
<context>
    <name>CartLine</name>
    <message>
        <location filename="../shopper/cart_panel.py" line="140"/>
        <source>{price} each</source>
        <translation>개당 {price}</translation>
    </message>
    <message>
        <location filename="../shopper/cart_panel.py" line="144"/>
        <source>Remove this product</source>
        <translation>이 상품 빼기</translation>
    </message>
    <message numerus="yes">
        <location filename="../shopper/cart_panel.py" line="146"/>
        <source>Take %n off the counter</source>
        <translation>
            <numerusform>계산대에서 %n개를 치워 주세요</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../shopper/cart_panel.py" line="149"/>
        <source>Removed</source>
        <translation>뺐음</translation>
    </message>
    <message>
        <location filename="../shopper/cart_panel.py" line="151"/>
        <source>Added by its barcode</source>
        <translation>바코드로 담음</translation>
    </message>
    <message>
        <location filename="../shopper/cart_panel.py" line="153"/>
        <source>Changed by hand</source>
        <translation>직접 바꿈</translation>
    </message>
    <message>
        <location filename="../shopper/cart_panel.py" line="159"/>
        <source>Undo</source>
        <translation>되돌리기</translation>
    </message>
</context>
<context>
    <name>CartPanel</name>
    <message numerus="yes">
        <location filename="../shopper/cart_panel.py" line="339"/>
        <source>%n product(s) you removed are still on the counter. Take them off, or ask staff to approve.</source>
        <translation>
            <numerusform>뺀 상품 %n개가 아직 계산대에 있어요. 치우거나 직원 승인을 받아 주세요.</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../shopper/cart_panel.py" line="351"/>
        <source>Products lie against each other: move them apart.</source>
        <translation>상품이 서로 붙어 있어요: 떼어 놓아 주세요.</translation>
    </message>
    <message numerus="yes">
        <location filename="../shopper/cart_panel.py" line="355"/>
        <source>Unknown item × %n: no price. Take it off the counter, or ask staff.</source>
        <translation>
            <numerusform>알 수 없는 상품 %n개: 가격이 없어요. 계산대에서 치우거나 직원에게 요청하세요.</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../shopper/cart_panel.py" line="410"/>
        <source>Your cart</source>
        <translation>장바구니</translation>
    </message>
    <message>
        <location filename="../shopper/cart_panel.py" line="411"/>
        <source>Put your products on the counter. They appear here.</source>
        <translation>상품을 계산대에 올려 주세요. 여기에 표시됩니다.</translation>
    </message>
    <message>
        <location filename="../shopper/cart_panel.py" line="412"/>
        <source>Total</source>
        <translation>합계</translation>
    </message>
    <message>
        <location filename="../shopper/cart_panel.py" line="413"/>
        <source>Pay with face</source>
        <translation>얼굴로 결제</translation>
    </message>
    <message>
        <location filename="../shopper/cart_panel.py" line="414"/>
        <source>Call staff</source>
        <translation>직원 호출</translation>
    </message>
    <message>
        <location filename="../shopper/cart_panel.py" line="415"/>
        <source>Staff approval</source>
        <translation>직원 승인</translation>
    </message>
    <message>
        <location filename="../shopper/cart_panel.py" line="416"/>
        <source>Staff: add it</source>
        <translation>직원: 추가</translation>
    </message>
    <message>
        <location filename="../shopper/cart_panel.py" line="368"/>
        <source>The camera cannot see the counter as it was (light or camera moved). Ask staff.</source>
        <translation>카메라가 계산대를 전처럼 볼 수 없어요(조명이나 카메라가 바뀌었어요). 직원에게 요청하세요.</translation>
    </message>
    <message>
        <location filename="../shopper/cart_panel.py" line="363"/>
        <source>Too many products at once: take some off, and pay for them afterwards.</source>
        <translation>상품이 한 번에 너무 많아요: 일부를 치우고, 그 상품은 나중에 계산하세요.</translation>
    </message>
    <message>
        <location filename="../shopper/cart_panel.py" line="417"/>
        <source>Staff: retake</source>
        <translation>직원: 다시 찍기</translation>
    </message>
    <message>
        <location filename="../shopper/cart_panel.py" line="419"/>
        <source>Face pay is not available at this kiosk right now. Call staff to pay.</source>
        <translation>지금 이 키오스크에서는 얼굴 결제를 할 수 없습니다. 직원을 불러 결제해 주세요.</translation>
    </message>
</context>
<context>
    <name>CatalogPage</name>
    <message>
        <location filename="../staff/catalog_page.py" line="507"/>
        <source>Products and prices</source>
        <translation>상품 및 가격</translation>
    </message>
    <message>
        <location filename="../staff/catalog_page.py" line="508"/>
        <source>Scan or type a barcode</source>
        <translation>바코드를 스캔하거나 입력하세요</translation>
    </message>
    <message>
        <location filename="../staff/catalog_page.py" line="513"/>
        <source>Save changes</source>
        <translation>변경 사항 저장</translation>
    </message>
    <message>
        <location filename="../staff/catalog_page.py" line="514"/>
        <source>Discard changes</source>
        <translation>변경 취소</translation>
    </message>
    <message>
        <location filename="../staff/catalog_page.py" line="515"/>
        <source>Add product…</source>
        <translation>상품 추가…</translation>
    </message>
    <message>
        <location filename="../staff/catalog_page.py" line="516"/>
        <source>Teach a product…</source>
        <translation>상품 학습…</translation>
    </message>
    <message>
        <location filename="../staff/catalog_page.py" line="517"/>
        <source>Teach it as a new product…</source>
        <translation>새 상품으로 학습…</translation>
    </message>
    <message>
        <location filename="../staff/catalog_page.py" line="518"/>
        <source>Take them off sale</source>
        <translation>판매 중지하기</translation>
    </message>
    <message>
        <location filename="../staff/catalog_page.py" line="519"/>
        <source>Import CSV…</source>
        <translation>CSV 가져오기…</translation>
    </message>
    <message>
        <location filename="../staff/catalog_page.py" line="520"/>
        <source>Export CSV…</source>
        <translation>CSV 내보내기…</translation>
    </message>
    <message>
        <location filename="../staff/catalog_page.py" line="544"/>
        <source>Cannot read the catalog</source>
        <translation>상품 목록을 읽을 수 없습니다</translation>
    </message>
    <message>
        <location filename="../staff/catalog_page.py" line="564"/>
        <source>Product {sku}: {error}</source>
        <translation>상품 {sku}: {error}</translation>
    </message>
    <message>
        <location filename="../staff/catalog_page.py" line="571"/>
        <source>Not all changes were saved</source>
        <translation>일부 변경 사항을 저장하지 못했습니다</translation>
    </message>
    <message>
        <location filename="../staff/catalog_page.py" line="573"/>
        <source>Saved.</source>
        <translation>저장했습니다.</translation>
    </message>
    <message>
        <location filename="../staff/catalog_page.py" line="584"/>
        <source>No product has barcode {code}.</source>
        <translation>바코드 {code}인 상품이 없어요.</translation>
    </message>
    <message>
        <location filename="../staff/catalog_page.py" line="591"/>
        <source>Barcode {code}: {name}.</source>
        <translation>바코드 {code}: {name}.</translation>
    </message>
    <message>
        <location filename="../staff/catalog_page.py" line="615"/>
        <source>Taught {name} ({sku}).</source>
        <translation>학습했습니다: {name} ({sku})</translation>
    </message>
    <message>
        <location filename="../staff/catalog_page.py" line="619"/>
        <source>Checkout finds it once the empty counter is taken: Teach a product… → Take empty counter.</source>
        <translation>빈 계산대를 찍어야 계산대에서 이 상품을 찾아요: 상품 학습… → 빈 계산대 찍기.</translation>
    </message>
    <message>
        <location filename="../staff/catalog_page.py" line="627"/>
        <source>The detector&apos;s own products are on sale too: it may take real products for them.</source>
        <translation>인식기가 원래 아는 상품도 판매 중이에요: 실제 상품을 그 상품으로 잘못 알 수 있어요.</translation>
    </message>
    <message>
        <location filename="../staff/catalog_page.py" line="650"/>
        <source>The detector&apos;s products are marked off sale: Save changes keeps it, Discard changes undoes it.</source>
        <translation>인식기의 상품을 판매 중지로 표시했어요: 변경 사항 저장을 누르면 적용되고, 변경 취소를 누르면 되돌려요.</translation>
    </message>
    <message>
        <location filename="../staff/catalog_page.py" line="669"/>
        <source>Add product… is off: every detector class already has a product. Train the product model with the new product first.</source>
        <translation>상품 추가… 를 쓸 수 없어요: 모든 인식 클래스에 이미 상품이 있습니다. 먼저 새 상품을 넣어 상품 인식 모델을 학습시키세요.</translation>
    </message>
    <message>
        <location filename="../staff/catalog_page.py" line="688"/>
        <source>The product was not added</source>
        <translation>상품을 추가하지 못했습니다</translation>
    </message>
    <message>
        <location filename="../staff/catalog_page.py" line="696"/>
        <source>Added {sku}.</source>
        <translation>상품을 추가했습니다: {sku}</translation>
    </message>
    <message>
        <location filename="../staff/catalog_page.py" line="705"/>
        <source>Import CSV</source>
        <translation>CSV 가져오기</translation>
    </message>
    <message>
        <location filename="../staff/catalog_page.py" line="706"/>
        <source>Importing discards your unsaved changes. Continue?</source>
        <translation>가져오면 저장하지 않은 변경 사항이 사라집니다. 계속하시겠습니까?</translation>
    </message>
    <message>
        <location filename="../staff/catalog_page.py" line="712"/>
        <source>Import catalog CSV</source>
        <translation>상품 목록 CSV 가져오기</translation>
    </message>
    <message>
        <location filename="../staff/catalog_page.py" line="713"/>
        <location filename="../staff/catalog_page.py" line="755"/>
        <source>CSV files (*.csv);;All files (*)</source>
        <translation>CSV 파일 (*.csv);;모든 파일 (*)</translation>
    </message>
    <message>
        <location filename="../staff/catalog_page.py" line="723"/>
        <source>Cannot read the file</source>
        <translation>파일을 읽을 수 없습니다</translation>
    </message>
    <message>
        <location filename="../staff/catalog_page.py" line="734"/>
        <source>The import failed</source>
        <translation>가져오기에 실패했습니다</translation>
    </message>
    <message>
        <location filename="../staff/catalog_page.py" line="741"/>
        <source>Imported: {added} added, {updated} updated, {deactivated} taken off sale, {removed} removed.</source>
        <translation>가져오기 완료: 추가 {added}개, 변경 {updated}개, 판매 중지 {deactivated}개, 삭제 {removed}개.</translation>
    </message>
    <message>
        <location filename="../staff/catalog_page.py" line="754"/>
        <source>Export catalog CSV</source>
        <translation>상품 목록 CSV 내보내기</translation>
    </message>
    <message>
        <location filename="../staff/catalog_page.py" line="769"/>
        <source>The export failed</source>
        <translation>내보내기에 실패했습니다</translation>
    </message>
    <message>
        <location filename="../staff/catalog_page.py" line="771"/>
        <source>Exported to {path}.</source>
        <translation>내보냈습니다: {path}</translation>
    </message>
    <message numerus="yes">
        <location filename="../staff/catalog_page.py" line="782"/>
        <source>%n unsaved change(s).</source>
        <translation>
            <numerusform>저장하지 않은 변경 사항 %n건</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>CatalogTableModel</name>
    <message>
        <location filename="../staff/catalog_page.py" line="130"/>
        <source>SKU</source>
        <translation>SKU</translation>
    </message>
    <message>
        <location filename="../staff/catalog_page.py" line="131"/>
        <source>Korean name</source>
        <translation>한국어 상품명</translation>
    </message>
    <message>
        <location filename="../staff/catalog_page.py" line="132"/>
        <source>English name</source>
        <translation>영어 상품명</translation>
    </message>
    <message>
        <location filename="../staff/catalog_page.py" line="133"/>
        <source>Price</source>
        <translation>가격</translation>
    </message>
    <message>
        <location filename="../staff/catalog_page.py" line="134"/>
        <source>Detector class</source>
        <translation>인식 클래스</translation>
    </message>
    <message>
        <location filename="../staff/catalog_page.py" line="135"/>
        <source>On sale</source>
        <translation>판매 중</translation>
    </message>
    <message>
        <location filename="../staff/catalog_page.py" line="136"/>
        <source>Barcodes</source>
        <translation>바코드</translation>
    </message>
    <message>
        <location filename="../staff/catalog_page.py" line="193"/>
        <source>A product name cannot be empty.</source>
        <translation>상품명을 입력하세요.</translation>
    </message>
    <message>
        <location filename="../staff/catalog_page.py" line="200"/>
        <source>A price is a whole, non-negative number of won, e.g. 1500.</source>
        <translation>가격은 0 이상의 정수(원)로 입력하세요. 예: 1500</translation>
    </message>
    <message>
        <location filename="../staff/catalog_page.py" line="227"/>
        <source>Barcode {code} already belongs to {sku}.</source>
        <translation>바코드 {code}는 이미 {sku} 상품의 바코드예요.</translation>
    </message>
</context>
<context>
    <name>CompleteScreen</name>
    <message numerus="yes">
        <location filename="../shopper/screens.py" line="153"/>
        <source>Next shopper in %n second(s)</source>
        <translation>
            <numerusform>%n초 후 처음 화면으로 돌아갑니다</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../shopper/screens.py" line="157"/>
        <source>Payment complete</source>
        <translation>결제 완료</translation>
    </message>
    <message>
        <location filename="../shopper/screens.py" line="159"/>
        <source>Thank you, {name}! Take your products.</source>
        <translation>{name} 님, 감사합니다! 상품을 챙겨 가세요.</translation>
    </message>
    <message>
        <location filename="../shopper/screens.py" line="161"/>
        <source>Done</source>
        <translation>확인</translation>
    </message>
</context>
<context>
    <name>CsvErrorsDialog</name>
    <message>
        <location filename="../staff/catalog_page.py" line="361"/>
        <source>CSV file rejected</source>
        <translation>CSV 파일을 가져오지 않았습니다</translation>
    </message>
    <message>
        <location filename="../staff/catalog_page.py" line="364"/>
        <source>The file was not imported; the catalog is unchanged. Fix these problems and import it again:</source>
        <translation>파일을 가져오지 않았으며 상품 목록은 그대로입니다. 아래 문제를 고친 뒤 다시 가져오세요:</translation>
    </message>
    <message>
        <location filename="../staff/catalog_page.py" line="370"/>
        <source>Line {line}: {message}</source>
        <translation>{line}행: {message}</translation>
    </message>
</context>
<context>
    <name>FailureScreen</name>
    <message numerus="yes">
        <location filename="../shopper/screens.py" line="223"/>
        <source>Back to the start in %n second(s)</source>
        <translation>
            <numerusform>%n초 후 처음 화면으로 돌아갑니다</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../shopper/screens.py" line="228"/>
        <source>Try again</source>
        <translation>다시 시도</translation>
    </message>
    <message>
        <location filename="../shopper/screens.py" line="229"/>
        <source>Back to cart</source>
        <translation>장바구니로 돌아가기</translation>
    </message>
    <message>
        <location filename="../shopper/screens.py" line="230"/>
        <source>Call staff</source>
        <translation>직원 호출</translation>
    </message>
</context>
<context>
    <name>KioskWindow</name>
    <message>
        <location filename="../kiosk_window.py" line="274"/>
        <source>not for sale</source>
        <translation>비판매 상품</translation>
    </message>
    <message>
        <location filename="../kiosk_window.py" line="275"/>
        <source>Unknown item</source>
        <translation>알 수 없는 상품</translation>
    </message>
    <message>
        <location filename="../kiosk_window.py" line="276"/>
        <source>Not a product</source>
        <translation>상품 아님</translation>
    </message>
    <message>
        <location filename="../kiosk_window.py" line="278"/>
        <source>Move apart</source>
        <translation>떼어 놓으세요</translation>
    </message>
    <message>
        <location filename="../kiosk_window.py" line="295"/>
        <source>Added {name} by its barcode.</source>
        <translation>바코드로 {name}을(를) 담았어요.</translation>
    </message>
    <message>
        <location filename="../kiosk_window.py" line="298"/>
        <source>The unknown item is {name}: added by its barcode.</source>
        <translation>알 수 없던 상품은 {name}입니다: 바코드로 추가했어요.</translation>
    </message>
    <message>
        <location filename="../kiosk_window.py" line="302"/>
        <source>{name} is not for sale. Please call staff.</source>
        <translation>{name}은(는) 판매하지 않는 상품이에요. 직원을 불러 주세요.</translation>
    </message>
    <message>
        <location filename="../kiosk_window.py" line="305"/>
        <source>Barcode {code} is not in this store&apos;s catalog.</source>
        <translation>바코드 {code}는 이 매장 상품 목록에 없어요.</translation>
    </message>
    <message>
        <location filename="../kiosk_window.py" line="341"/>
        <source>Staff approval</source>
        <translation>직원 승인</translation>
    </message>
    <message>
        <location filename="../kiosk_window.py" line="358"/>
        <source>Staff: add the unknown item</source>
        <translation>직원: 알 수 없는 상품 추가</translation>
    </message>
    <message>
        <location filename="../kiosk_window.py" line="384"/>
        <source>Nothing added: the item left the counter, or its product is off sale.</source>
        <translation>추가하지 않았어요: 물건이 치워졌거나 판매하지 않는 상품이에요.</translation>
    </message>
    <message>
        <location filename="../kiosk_window.py" line="391"/>
        <source>The unknown item is {name}: added by staff.</source>
        <translation>알 수 없던 상품은 {name}입니다: 직원이 추가했어요.</translation>
    </message>
    <message>
        <location filename="../kiosk_window.py" line="400"/>
        <source>Staff: retake the empty counter</source>
        <translation>직원: 빈 계산대 다시 찍기</translation>
    </message>
    <message>
        <location filename="../kiosk_window.py" line="406"/>
        <source>Take everything off the counter (the shopper&apos;s products too, for a moment), then tap Take empty counter. Put the products back afterwards.</source>
        <translation>계산대에서 모든 물건을 잠시 치운 뒤(손님의 상품도) 빈 계산대 찍기를 누르세요. 그다음 상품을 다시 올려 주세요.</translation>
    </message>
    <message>
        <location filename="../kiosk_window.py" line="410"/>
        <source>Take empty counter</source>
        <translation>빈 계산대 찍기</translation>
    </message>
    <message>
        <location filename="../kiosk_window.py" line="411"/>
        <source>Cancel</source>
        <translation>취소</translation>
    </message>
    <message>
        <location filename="../kiosk_window.py" line="417"/>
        <source>Empty counter taken again: put the products back on the counter.</source>
        <translation>빈 계산대를 다시 찍었어요. 상품을 계산대에 다시 올려 주세요.</translation>
    </message>
    <message>
        <location filename="../kiosk_window.py" line="422"/>
        <source>The empty-counter shot was not saved: take it again after a restart.</source>
        <translation>빈 계산대 사진을 저장하지 못했어요. 다시 시작한 뒤 다시 찍어 주세요.</translation>
    </message>
    <message>
        <location filename="../kiosk_window.py" line="468"/>
        <source>Nothing changed: the item left the counter, or which one was unclear.</source>
        <translation>바뀐 것이 없어요: 물건이 치워졌거나 어느 물건인지 모르겠어요.</translation>
    </message>
    <message>
        <location filename="../kiosk_window.py" line="473"/>
        <source>Not a product, staff say: it no longer holds the payment.</source>
        <translation>직원 확인: 상품이 아니에요. 이제 결제를 막지 않아요.</translation>
    </message>
    <message>
        <location filename="../kiosk_window.py" line="483"/>
        <source>The unknown item&apos;s picture</source>
        <translation>알 수 없는 상품의 사진</translation>
    </message>
    <message>
        <location filename="../kiosk_window.py" line="492"/>
        <source>{name} is taught; the item left the counter: not added.</source>
        <translation>{name}을(를) 학습했어요. 물건이 치워져서 추가하지 않았어요.</translation>
    </message>
    <message>
        <location filename="../kiosk_window.py" line="500"/>
        <source>The unknown item is {name}: taught and added by staff.</source>
        <translation>알 수 없던 상품은 {name}입니다: 직원이 학습시키고 추가했어요.</translation>
    </message>
    <message>
        <location filename="../kiosk_window.py" line="507"/>
        <source>Counter camera unavailable, retrying…
{reason}</source>
        <translation>계산대 카메라를 쓸 수 없어 다시 연결하는 중입니다…
{reason}</translation>
    </message>
    <message>
        <location filename="../kiosk_window.py" line="511"/>
        <source>The video has ended.</source>
        <translation>동영상이 끝났습니다.</translation>
    </message>
    <message>
        <location filename="../kiosk_window.py" line="640"/>
        <source>We don&apos;t recognise your face</source>
        <translation>등록된 얼굴을 찾지 못했습니다</translation>
    </message>
    <message>
        <location filename="../kiosk_window.py" line="642"/>
        <source>Try again facing the camera, or ask staff: they can register you or take your payment.</source>
        <translation>카메라를 정면으로 보고 다시 시도하거나 직원에게 문의해 주세요. 얼굴 등록이나 결제를 도와드립니다.</translation>
    </message>
    <message>
        <location filename="../kiosk_window.py" line="647"/>
        <source>We could not confirm you are here in person</source>
        <translation>본인이 직접 계신지 확인하지 못했습니다</translation>
    </message>
    <message>
        <location filename="../kiosk_window.py" line="648"/>
        <source>Try again and turn your head slowly the way the screen asks.</source>
        <translation>다시 시도해 주세요. 화면 안내에 따라 고개를 천천히 돌려 주세요.</translation>
    </message>
    <message>
        <location filename="../kiosk_window.py" line="651"/>
        <source>Payment timed out</source>
        <translation>결제 시간이 초과되었습니다</translation>
    </message>
    <message>
        <location filename="../kiosk_window.py" line="652"/>
        <source>Nothing was charged. Try again when you are ready.</source>
        <translation>결제되지 않았습니다. 준비되시면 다시 시도해 주세요.</translation>
    </message>
    <message>
        <location filename="../kiosk_window.py" line="655"/>
        <source>Payment cancelled</source>
        <translation>결제가 취소되었습니다</translation>
    </message>
    <message>
        <location filename="../kiosk_window.py" line="656"/>
        <source>Nothing was charged. Your cart is still here.</source>
        <translation>결제되지 않았습니다. 장바구니는 그대로 있습니다.</translation>
    </message>
    <message>
        <location filename="../kiosk_window.py" line="659"/>
        <source>Sorry about that!</source>
        <translation>죄송합니다!</translation>
    </message>
    <message>
        <location filename="../kiosk_window.py" line="660"/>
        <source>Nothing was charged. Try again, looking straight at the camera.</source>
        <translation>결제되지 않았습니다. 카메라를 정면으로 바라보고 다시 시도해 주세요.</translation>
    </message>
    <message>
        <location filename="../kiosk_window.py" line="663"/>
        <source>We can&apos;t reach the store&apos;s system</source>
        <translation>매장 시스템에 연결할 수 없습니다</translation>
    </message>
    <message>
        <location filename="../kiosk_window.py" line="665"/>
        <source>Nothing was charged. Your cart is still here: try again in a moment, or call staff.</source>
        <translation>결제되지 않았습니다. 장바구니는 그대로 있습니다. 잠시 후 다시 시도하거나 직원을 불러 주세요.</translation>
    </message>
    <message>
        <location filename="../kiosk_window.py" line="670"/>
        <source>The payment could not be completed</source>
        <translation>결제를 완료하지 못했습니다</translation>
    </message>
    <message>
        <location filename="../kiosk_window.py" line="671"/>
        <source>Nothing was charged. Please call staff.</source>
        <translation>결제되지 않았습니다. 직원을 불러 주세요.</translation>
    </message>
    <message>
        <location filename="../kiosk_window.py" line="715"/>
        <source>Face camera unavailable, retrying…
{reason}</source>
        <translation>얼굴 카메라를 쓸 수 없어 다시 연결하는 중입니다…
{reason}</translation>
    </message>
    <message>
        <location filename="../kiosk_window.py" line="807"/>
        <source>camera {camera:.1f} fps · detection {detection:.1f} fps · screen {ui:.1f} fps · CPU {cpu:.0f}% · RAM {ram:.1f} GB</source>
        <translation>카메라 {camera:.1f} fps · 인식 {detection:.1f} fps · 화면 {ui:.1f} fps · CPU {cpu:.0f}% · RAM {ram:.1f} GB</translation>
    </message>
    <message>
        <location filename="../kiosk_window.py" line="819"/>
        <location filename="../kiosk_window.py" line="820"/>
        <source>Self-checkout</source>
        <translation>셀프 계산대</translation>
    </message>
    <message>
        <location filename="../kiosk_window.py" line="823"/>
        <source>Staff</source>
        <translation>직원</translation>
    </message>
    <message>
        <location filename="../kiosk_window.py" line="826"/>
        <source>Staff have been called and will be with you shortly.</source>
        <translation>직원을 불렀어요. 곧 도와드릴게요.</translation>
    </message>
    <message>
        <location filename="../kiosk_window.py" line="828"/>
        <source>backend: {name}</source>
        <translation>백엔드: {name}</translation>
    </message>
    <message>
        <location filename="../launch.py" line="245"/>
        <source>Settings</source>
        <translation>설정</translation>
    </message>
</context>
<context>
    <name>LoadingScreen</name>
    <message>
        <location filename="../launch.py" line="167"/>
        <source>Starting…</source>
        <translation>시작하는 중…</translation>
    </message>
    <message>
        <location filename="../launch.py" line="168"/>
        <source>Opening the store database…</source>
        <translation>매장 데이터베이스를 여는 중…</translation>
    </message>
    <message>
        <location filename="../launch.py" line="169"/>
        <source>Loading the product recognition model…</source>
        <translation>상품 인식 모델을 불러오는 중…</translation>
    </message>
    <message>
        <location filename="../launch.py" line="170"/>
        <source>Loading the products staff taught…</source>
        <translation>직원이 학습시킨 상품을 불러오는 중…</translation>
    </message>
    <message>
        <location filename="../launch.py" line="171"/>
        <source>Loading the face recognition models…</source>
        <translation>얼굴 인식 모델을 불러오는 중…</translation>
    </message>
    <message>
        <location filename="../launch.py" line="172"/>
        <source>Preparing the face recognition weights (first start only)…</source>
        <translation>얼굴 인식 가중치를 준비하는 중… (처음 실행할 때만)</translation>
    </message>
    <message>
        <location filename="../launch.py" line="173"/>
        <source>Registering the demo shopper…</source>
        <translation>데모 고객을 등록하는 중…</translation>
    </message>
    <message>
        <location filename="../launch.py" line="179"/>
        <source>The kiosk cannot start</source>
        <translation>키오스크를 시작할 수 없습니다</translation>
    </message>
    <message>
        <location filename="../launch.py" line="181"/>
        <source>Self-checkout is starting</source>
        <translation>셀프 계산대를 시작하는 중입니다</translation>
    </message>
    <message>
        <location filename="../launch.py" line="183"/>
        <source>Quit</source>
        <translation>종료</translation>
    </message>
</context>
<context>
    <name>NameItemDialog</name>
    <message>
        <location filename="../staff/name_item_dialog.py" line="71"/>
        <source>Unknown item</source>
        <translation>알 수 없는 상품</translation>
    </message>
    <message>
        <location filename="../staff/name_item_dialog.py" line="87"/>
        <source>What is the unknown item?</source>
        <translation>알 수 없는 상품은 무엇인가요?</translation>
    </message>
    <message>
        <location filename="../staff/name_item_dialog.py" line="91"/>
        <source>It is added to the cart at its price. Tap the one it is, and the kiosk learns its look for the next shopper.</source>
        <translation>그 가격으로 장바구니에 추가돼요. 해당 상품을 누르면 키오스크가 다음 손님을 위해 그 모습을 배워요.</translation>
    </message>
    <message>
        <location filename="../staff/name_item_dialog.py" line="96"/>
        <source>It is added to the cart at its price, and the kiosk learns its look for the next shopper.</source>
        <translation>그 가격으로 장바구니에 추가되고, 키오스크가 다음 손님을 위해 그 모습을 배워요.</translation>
    </message>
    <message>
        <location filename="../staff/name_item_dialog.py" line="100"/>
        <source>★ the products it looks most like.</source>
        <translation>★ 가장 비슷해 보이는 상품.</translation>
    </message>
    <message>
        <location filename="../staff/name_item_dialog.py" line="106"/>
        <source>Search by name or SKU</source>
        <translation>이름 또는 SKU로 검색</translation>
    </message>
    <message>
        <location filename="../staff/name_item_dialog.py" line="120"/>
        <source>Add to the cart</source>
        <translation>장바구니에 추가</translation>
    </message>
    <message>
        <location filename="../staff/name_item_dialog.py" line="124"/>
        <source>Cancel</source>
        <translation>취소</translation>
    </message>
    <message>
        <location filename="../staff/name_item_dialog.py" line="128"/>
        <source>Teach it as a new product…</source>
        <translation>새 상품으로 학습…</translation>
    </message>
    <message>
        <location filename="../staff/name_item_dialog.py" line="138"/>
        <source>Not a product</source>
        <translation>상품 아님</translation>
    </message>
    <message>
        <location filename="../staff/name_item_dialog.py" line="170"/>
        <source>Unknown item {number}</source>
        <translation>알 수 없는 상품 {number}</translation>
    </message>
</context>
<context>
    <name>PayScreen</name>
    <message>
        <location filename="../shopper/pay.py" line="100"/>
        <source>Starting the face camera…</source>
        <translation>얼굴 카메라를 켜는 중…</translation>
    </message>
    <message numerus="yes">
        <location filename="../shopper/pay.py" line="109"/>
        <source>… and %n more product(s)</source>
        <translation>
            <numerusform>… 외 %n개 상품</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../shopper/pay.py" line="120"/>
        <location filename="../shopper/pay.py" line="140"/>
        <source>Look at the camera</source>
        <translation>카메라를 바라봐 주세요</translation>
    </message>
    <message>
        <location filename="../shopper/pay.py" line="122"/>
        <source>Is this you, {name}?</source>
        <translation>{name} 님이 맞으신가요?</translation>
    </message>
    <message>
        <location filename="../shopper/pay.py" line="125"/>
        <source>The store&apos;s system is not answering</source>
        <translation>매장 시스템이 응답하지 않습니다</translation>
    </message>
    <message>
        <location filename="../shopper/pay.py" line="127"/>
        <source>Checking your payment…</source>
        <translation>결제를 확인하고 있습니다…</translation>
    </message>
    <message>
        <location filename="../shopper/pay.py" line="128"/>
        <source>Recording your payment…</source>
        <translation>결제를 기록하고 있습니다…</translation>
    </message>
    <message>
        <location filename="../shopper/pay.py" line="131"/>
        <source>Thank you! Now look at the camera again</source>
        <translation>감사합니다! 다시 카메라를 바라봐 주세요</translation>
    </message>
    <message>
        <location filename="../shopper/pay.py" line="134"/>
        <source>Once more: slowly turn your head to your LEFT</source>
        <translation>한 번 더: 고개를 천천히 왼쪽으로 돌려 주세요</translation>
    </message>
    <message>
        <location filename="../shopper/pay.py" line="135"/>
        <source>Once more: slowly turn your head to your RIGHT</source>
        <translation>한 번 더: 고개를 천천히 오른쪽으로 돌려 주세요</translation>
    </message>
    <message>
        <location filename="../shopper/pay.py" line="137"/>
        <source>Now slowly turn your head to your LEFT</source>
        <translation>이제 고개를 천천히 왼쪽으로 돌려 주세요</translation>
    </message>
    <message>
        <location filename="../shopper/pay.py" line="138"/>
        <source>Now slowly turn your head to your RIGHT</source>
        <translation>이제 고개를 천천히 오른쪽으로 돌려 주세요</translation>
    </message>
    <message>
        <location filename="../shopper/pay.py" line="141"/>
        <source>One person at a time, please</source>
        <translation>한 분씩 이용해 주세요</translation>
    </message>
    <message>
        <location filename="../shopper/pay.py" line="142"/>
        <source>Please come a little closer</source>
        <translation>조금 더 가까이 와 주세요</translation>
    </message>
    <message>
        <location filename="../shopper/pay.py" line="143"/>
        <source>Hold still for a moment</source>
        <translation>잠시 움직이지 말아 주세요</translation>
    </message>
    <message>
        <location filename="../shopper/pay.py" line="144"/>
        <source>It is too dark: face the light</source>
        <translation>너무 어둡습니다. 밝은 쪽을 향해 주세요</translation>
    </message>
    <message>
        <location filename="../shopper/pay.py" line="145"/>
        <source>Too much light behind or on you</source>
        <translation>빛이 너무 강합니다. 역광이나 강한 조명을 피해 주세요</translation>
    </message>
    <message>
        <location filename="../shopper/pay.py" line="146"/>
        <source>Hold still, we are checking who you are…</source>
        <translation>잠시 그대로 계세요. 본인 확인 중입니다…</translation>
    </message>
    <message>
        <location filename="../shopper/pay.py" line="148"/>
        <source>Looking for your face…</source>
        <translation>얼굴을 찾는 중…</translation>
    </message>
    <message>
        <location filename="../shopper/pay.py" line="155"/>
        <source>Trying again… Nothing has been charged yet.</source>
        <translation>다시 시도하고 있습니다… 아직 결제되지 않았습니다.</translation>
    </message>
    <message>
        <location filename="../shopper/pay.py" line="158"/>
        <source>The store&apos;s system stopped answering while your payment was being recorded. Please wait: we are making sure you pay exactly once. If this takes long, call staff.</source>
        <translation>결제를 기록하는 중에 매장 시스템이 응답을 멈췄습니다. 잠시 기다려 주세요. 한 번만 결제되도록 확인하고 있습니다. 오래 걸리면 직원을 불러 주세요.</translation>
    </message>
    <message>
        <location filename="../shopper/pay.py" line="168"/>
        <source>Step 1 of 3 · finding your face</source>
        <translation>1/3단계 · 얼굴 찾기</translation>
    </message>
    <message>
        <location filename="../shopper/pay.py" line="169"/>
        <source>Step 2 of 3 · checking you are here in person</source>
        <translation>2/3단계 · 실제 본인 확인</translation>
    </message>
    <message>
        <location filename="../shopper/pay.py" line="170"/>
        <source>Step 3 of 3 · confirm</source>
        <translation>3/3단계 · 결제 확인</translation>
    </message>
    <message>
        <location filename="../shopper/pay.py" line="171"/>
        <source>Step 3 of 3 · paying</source>
        <translation>3/3단계 · 결제 중</translation>
    </message>
    <message>
        <location filename="../shopper/pay.py" line="188"/>
        <source>To pay: {total}</source>
        <translation>결제 금액: {total}</translation>
    </message>
    <message>
        <location filename="../shopper/pay.py" line="194"/>
        <source>Yes, pay {total}</source>
        <translation>{total} 결제</translation>
    </message>
    <message>
        <location filename="../shopper/pay.py" line="195"/>
        <source>No, not me</source>
        <translation>제가 아니에요</translation>
    </message>
    <message>
        <location filename="../shopper/pay.py" line="196"/>
        <source>Cancel</source>
        <translation>취소</translation>
    </message>
    <message numerus="yes">
        <location filename="../shopper/pay.py" line="202"/>
        <source>%n second(s) left</source>
        <translation>
            <numerusform>%n초 남음</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>PeoplePage</name>
    <message>
        <location filename="../staff/people.py" line="128"/>
        <source>Registered shoppers</source>
        <translation>등록된 고객</translation>
    </message>
    <message>
        <location filename="../staff/people.py" line="129"/>
        <source>Search by name</source>
        <translation>이름으로 검색</translation>
    </message>
    <message>
        <location filename="../staff/people.py" line="131"/>
        <source>Name</source>
        <translation>이름</translation>
    </message>
    <message>
        <location filename="../staff/people.py" line="131"/>
        <source>Member ID</source>
        <translation>회원 번호</translation>
    </message>
    <message>
        <location filename="../staff/people.py" line="131"/>
        <source>Registered</source>
        <translation>등록일</translation>
    </message>
    <message>
        <location filename="../staff/people.py" line="131"/>
        <source>Face images</source>
        <translation>얼굴 이미지</translation>
    </message>
    <message>
        <location filename="../staff/people.py" line="133"/>
        <source>Refresh</source>
        <translation>새로 고침</translation>
    </message>
    <message>
        <location filename="../staff/people.py" line="134"/>
        <source>Delete…</source>
        <translation>삭제…</translation>
    </message>
    <message>
        <location filename="../staff/people.py" line="205"/>
        <source>No one is registered yet.</source>
        <translation>아직 등록된 고객이 없습니다.</translation>
    </message>
    <message numerus="yes">
        <location filename="../staff/people.py" line="207"/>
        <source>%n person(s) registered</source>
        <translation>
            <numerusform>등록된 고객 %n명</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../staff/people.py" line="209"/>
        <source>%1 of %2 shown</source>
        <translation>%2명 중 %1명 표시</translation>
    </message>
    <message>
        <location filename="../staff/people.py" line="223"/>
        <location filename="../staff/people.py" line="254"/>
        <location filename="../staff/people.py" line="264"/>
        <source>Delete registered shopper</source>
        <translation>등록 고객 삭제</translation>
    </message>
    <message>
        <location filename="../staff/people.py" line="224"/>
        <source>Delete %1 and their face data? This cannot be undone.</source>
        <translation>%1 님의 정보와 얼굴 데이터를 삭제하시겠습니까? 삭제하면 되돌릴 수 없습니다.</translation>
    </message>
    <message>
        <location filename="../staff/people.py" line="257"/>
        <source>database error</source>
        <translation>데이터베이스 오류</translation>
    </message>
    <message>
        <location filename="../staff/people.py" line="255"/>
        <source>Could not delete %1: %2</source>
        <translation>%1 님을 삭제하지 못했습니다: %2</translation>
    </message>
    <message>
        <location filename="../staff/people.py" line="266"/>
        <source>%1 can no longer pay by face. Another program still has the database open, so their old records are removed from the file when it closes it, or at the next start of the kiosk.</source>
        <translation>이제 %1 님은 얼굴로 결제할 수 없습니다. 다른 프로그램이 데이터베이스를 열고 있어서, 이전 기록은 그 프로그램이 닫거나 키오스크를 다시 시작할 때 파일에서 지워집니다.</translation>
    </message>
</context>
<context>
    <name>PinDialog</name>
    <message>
        <location filename="../staff/pin_dialog.py" line="146"/>
        <location filename="../staff/pin_dialog.py" line="147"/>
        <source>Set a staff PIN</source>
        <translation>직원 PIN 설정</translation>
    </message>
    <message>
        <location filename="../staff/pin_dialog.py" line="149"/>
        <source>Choose {min}–{max} digits, then enter them again.</source>
        <translation>{min}~{max}자리 숫자를 정해 두 번 입력하세요.</translation>
    </message>
    <message>
        <location filename="../staff/pin_dialog.py" line="154"/>
        <location filename="../staff/pin_dialog.py" line="155"/>
        <source>Staff PIN</source>
        <translation>직원 PIN</translation>
    </message>
    <message>
        <location filename="../staff/pin_dialog.py" line="156"/>
        <source>Staff only. Enter your PIN.</source>
        <translation>직원 전용입니다. PIN을 입력하세요.</translation>
    </message>
    <message>
        <location filename="../staff/pin_dialog.py" line="157"/>
        <source>PIN</source>
        <translation>PIN</translation>
    </message>
    <message>
        <location filename="../staff/pin_dialog.py" line="158"/>
        <source>Repeat PIN</source>
        <translation>PIN 다시 입력</translation>
    </message>
    <message>
        <location filename="../staff/pin_dialog.py" line="159"/>
        <source>OK</source>
        <translation>확인</translation>
    </message>
    <message>
        <location filename="../staff/pin_dialog.py" line="160"/>
        <source>Delete the last digit</source>
        <translation>마지막 숫자 지우기</translation>
    </message>
    <message>
        <location filename="../staff/pin_dialog.py" line="161"/>
        <source>Cancel</source>
        <translation>취소</translation>
    </message>
    <message>
        <location filename="../staff/pin_dialog.py" line="223"/>
        <source>A PIN has {min}–{max} digits.</source>
        <translation>PIN은 {min}~{max}자리 숫자입니다.</translation>
    </message>
    <message>
        <location filename="../staff/pin_dialog.py" line="234"/>
        <source>The PINs do not match. Try again.</source>
        <translation>두 PIN이 다릅니다. 다시 입력하세요.</translation>
    </message>
    <message numerus="yes">
        <location filename="../staff/pin_dialog.py" line="266"/>
        <source>Wrong PIN — %n tries left</source>
        <translation>
            <numerusform>PIN이 틀렸습니다 — 남은 횟수 %n회</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../staff/pin_dialog.py" line="290"/>
        <source>Try again.</source>
        <translation>다시 입력하세요.</translation>
    </message>
    <message>
        <location filename="../staff/pin_dialog.py" line="295"/>
        <source>Locked for {time}</source>
        <translation>잠금 해제까지 {time}</translation>
    </message>
    <message>
        <location filename="../staff/pin_dialog.py" line="305"/>
        <source>Staff access is unavailable: {reason}</source>
        <translation>직원 메뉴를 사용할 수 없습니다: {reason}</translation>
    </message>
</context>
<context>
    <name>RegistrationPage</name>
    <message>
        <location filename="../staff/registration.py" line="59"/>
        <source>No face found — look at the camera</source>
        <translation>얼굴이 보이지 않습니다 — 카메라를 바라봐 주세요</translation>
    </message>
    <message>
        <location filename="../staff/registration.py" line="62"/>
        <source>Only one person please</source>
        <translation>한 분만 화면에 나와 주세요</translation>
    </message>
    <message>
        <location filename="../staff/registration.py" line="63"/>
        <source>Move closer</source>
        <translation>조금 더 가까이 와 주세요</translation>
    </message>
    <message>
        <location filename="../staff/registration.py" line="64"/>
        <source>Hold still — too blurry</source>
        <translation>흐릿합니다 — 잠시 움직이지 마세요</translation>
    </message>
    <message>
        <location filename="../staff/registration.py" line="65"/>
        <source>Too dark — more light on the face</source>
        <translation>너무 어둡습니다 — 얼굴을 더 밝게 비춰 주세요</translation>
    </message>
    <message>
        <location filename="../staff/registration.py" line="68"/>
        <source>Too bright — move out of the glare</source>
        <translation>너무 밝습니다 — 강한 빛을 피해 주세요</translation>
    </message>
    <message>
        <location filename="../staff/registration.py" line="71"/>
        <source>Good — hold that pose</source>
        <translation>좋습니다 — 그대로 계세요</translation>
    </message>
    <message>
        <location filename="../staff/registration.py" line="72"/>
        <source>All poses captured</source>
        <translation>모든 자세를 촬영했습니다</translation>
    </message>
    <message>
        <location filename="../staff/registration.py" line="78"/>
        <source>Adjust your position</source>
        <translation>위치를 조정해 주세요</translation>
    </message>
    <message>
        <location filename="../staff/registration.py" line="84"/>
        <location filename="../staff/registration.py" line="95"/>
        <source>Look straight at the camera</source>
        <translation>카메라를 정면으로 바라봐 주세요</translation>
    </message>
    <message>
        <location filename="../staff/registration.py" line="85"/>
        <source>Turn a little more to your right</source>
        <translation>오른쪽으로 조금 더 돌려 주세요</translation>
    </message>
    <message>
        <location filename="../staff/registration.py" line="86"/>
        <source>Tilt your head down a little more</source>
        <translation>고개를 조금 더 숙여 주세요</translation>
    </message>
    <message>
        <location filename="../staff/registration.py" line="87"/>
        <source>Turn a little more to your left</source>
        <translation>왼쪽으로 조금 더 돌려 주세요</translation>
    </message>
    <message>
        <location filename="../staff/registration.py" line="96"/>
        <source>Turn your head to your right</source>
        <translation>고개를 오른쪽으로 돌려 주세요</translation>
    </message>
    <message>
        <location filename="../staff/registration.py" line="97"/>
        <source>Tilt your head down</source>
        <translation>고개를 살짝 숙여 주세요</translation>
    </message>
    <message>
        <location filename="../staff/registration.py" line="98"/>
        <source>Turn your head to your left</source>
        <translation>고개를 왼쪽으로 돌려 주세요</translation>
    </message>
    <message>
        <location filename="../staff/registration.py" line="101"/>
        <source>Done — fill in the form below</source>
        <translation>촬영 완료 — 아래 정보를 입력하세요</translation>
    </message>
    <message>
        <location filename="../staff/registration.py" line="303"/>
        <source>Register a shopper</source>
        <translation>고객 등록</translation>
    </message>
    <message>
        <location filename="../staff/registration.py" line="304"/>
        <source>Name</source>
        <translation>이름</translation>
    </message>
    <message>
        <location filename="../staff/registration.py" line="305"/>
        <source>Member ID</source>
        <translation>회원 번호</translation>
    </message>
    <message>
        <location filename="../staff/registration.py" line="306"/>
        <source>Shown when they pay</source>
        <translation>결제할 때 표시됩니다</translation>
    </message>
    <message>
        <location filename="../staff/registration.py" line="307"/>
        <source>Optional</source>
        <translation>선택 사항</translation>
    </message>
    <message>
        <location filename="../staff/registration.py" line="308"/>
        <source>The shopper agrees</source>
        <translation>고객이 동의함</translation>
    </message>
    <message>
        <location filename="../staff/registration.py" line="311"/>
        <source>Their face data is stored encrypted on this store&apos;s system, used only to pay by face, and deleted whenever they ask.</source>
        <translation>얼굴 데이터는 이 매장 시스템에 암호화되어 저장되고, 얼굴 결제에만 쓰이며, 고객이 요청하면 언제든지 삭제됩니다.</translation>
    </message>
    <message>
        <location filename="../staff/registration.py" line="315"/>
        <source>Register</source>
        <translation>등록</translation>
    </message>
    <message>
        <location filename="../staff/registration.py" line="316"/>
        <source>Start over</source>
        <translation>처음부터 다시</translation>
    </message>
    <message>
        <location filename="../staff/registration.py" line="317"/>
        <source>Register from image files…</source>
        <translation>이미지 파일로 등록…</translation>
    </message>
    <message>
        <location filename="../staff/registration.py" line="319"/>
        <source>Waiting for the face camera…</source>
        <translation>얼굴 카메라를 기다리는 중…</translation>
    </message>
    <message>
        <location filename="../staff/registration.py" line="419"/>
        <source>Face check failed — trying again</source>
        <translation>얼굴 확인에 실패했습니다 — 다시 시도하는 중</translation>
    </message>
    <message>
        <location filename="../staff/registration.py" line="447"/>
        <source>Choose photos of one person</source>
        <translation>한 사람의 사진을 선택하세요</translation>
    </message>
    <message>
        <location filename="../staff/registration.py" line="448"/>
        <source>Images (%1)</source>
        <translation>이미지 (%1)</translation>
    </message>
    <message>
        <location filename="../staff/registration.py" line="466"/>
        <source>Registering…</source>
        <translation>등록하는 중…</translation>
    </message>
    <message>
        <location filename="../staff/registration.py" line="480"/>
        <source>the database could not be written; see the log</source>
        <translation>데이터베이스에 저장하지 못했습니다. 로그를 확인하세요</translation>
    </message>
    <message>
        <location filename="../staff/registration.py" line="481"/>
        <source>Could not register: %1</source>
        <translation>등록하지 못했습니다: %1</translation>
    </message>
    <message>
        <location filename="../staff/registration.py" line="485"/>
        <source>Register from image files</source>
        <translation>이미지 파일로 등록</translation>
    </message>
    <message>
        <location filename="../staff/registration.py" line="498"/>
        <source>%1 is registered.</source>
        <translation>%1 님을 등록했습니다.</translation>
    </message>
    <message>
        <location filename="../staff/registration.py" line="506"/>
        <source>Register a face</source>
        <translation>얼굴 등록</translation>
    </message>
    <message>
        <location filename="../staff/registration.py" line="508"/>
        <source>%1

Register anyway only if they are two different people (twins, for example): otherwise the person already registered can no longer pay by face.</source>
        <translation>%1

서로 다른 두 사람일 때만(예: 쌍둥이) 그래도 등록하세요. 같은 사람이라면 이미 등록된 분이 더 이상 얼굴로 결제할 수 없게 됩니다.</translation>
    </message>
    <message>
        <location filename="../staff/registration.py" line="545"/>
        <source>Pose %1/%2</source>
        <translation>자세 %1/%2</translation>
    </message>
    <message>
        <location filename="../staff/registration.py" line="554"/>
        <source>all four poses</source>
        <translation>네 가지 자세</translation>
    </message>
    <message>
        <location filename="../staff/registration.py" line="556"/>
        <source>a name</source>
        <translation>이름</translation>
    </message>
    <message>
        <location filename="../staff/registration.py" line="558"/>
        <source>the shopper&apos;s consent</source>
        <translation>고객 동의</translation>
    </message>
    <message>
        <location filename="../staff/registration.py" line="573"/>
        <source>Still needed: %1</source>
        <translation>아직 필요한 항목: %1</translation>
    </message>
</context>
<context>
    <name>ReviewPage</name>
    <message>
        <location filename="../staff/review_page.py" line="173"/>
        <source>No frame was kept.</source>
        <translation>저장된 화면이 없어요.</translation>
    </message>
    <message>
        <location filename="../staff/review_page.py" line="196"/>
        <source>Nothing to review.</source>
        <translation>확인할 항목이 없어요.</translation>
    </message>
    <message>
        <location filename="../staff/review_page.py" line="230"/>
        <source>Review</source>
        <translation>검토</translation>
    </message>
    <message>
        <location filename="../staff/review_page.py" line="143"/>
        <source>unknown, searched</source>
        <translation>알 수 없음, 검색</translation>
    </message>
    <message>
        <location filename="../staff/review_page.py" line="130"/>
        <source>Not a product</source>
        <translation>상품 아님</translation>
    </message>
    <message>
        <location filename="../staff/review_page.py" line="141"/>
        <source>unknown, set aside</source>
        <translation>알 수 없음, 상품 아님</translation>
    </message>
    <message>
        <location filename="../staff/review_page.py" line="145"/>
        <source>unknown, ★ no. {rank}</source>
        <translation>알 수 없음, ★ {rank}번</translation>
    </message>
    <message>
        <location filename="../staff/review_page.py" line="147"/>
        <source>, learned</source>
        <translation>, 학습함</translation>
    </message>
    <message>
        <location filename="../staff/review_page.py" line="149"/>
        <source>, learned, undone</source>
        <translation>, 학습함, 취소됨</translation>
    </message>
    <message>
        <location filename="../staff/review_page.py" line="205"/>
        <source>Forgetting the look of this item set aside…</source>
        <translation>상품이 아니라고 한 물건의 모습을 지우는 중…</translation>
    </message>
    <message>
        <location filename="../staff/review_page.py" line="206"/>
        <source>Learning undone: items like it are asked about again.</source>
        <translation>학습 취소: 비슷한 물건이 놓이면 다시 직원에게 물어요.</translation>
    </message>
    <message>
        <location filename="../staff/review_page.py" line="208"/>
        <source>Forgetting what the kiosk learned from this {name}…</source>
        <translation>이 {name}에서 키오스크가 배운 것을 지우는 중…</translation>
    </message>
    <message>
        <location filename="../staff/review_page.py" line="210"/>
        <source>Learning undone: the kiosk no longer recognises {name} by that picture.</source>
        <translation>학습 취소됨: 키오스크가 더 이상 그 사진으로 {name}을(를) 알아보지 않아요.</translation>
    </message>
    <message>
        <location filename="../staff/review_page.py" line="226"/>
        <source>Could not undo the learning: {reason}</source>
        <translation>학습을 취소하지 못했어요: {reason}</translation>
    </message>
    <message>
        <location filename="../staff/review_page.py" line="233"/>
        <source>Counts staff approved below what the counter camera saw, and unknown items staff named (★ no. N: the product offered N-th; searched: looked up by name; set aside: not a product, items like it are ignored; learned: the kiosk learned its look from that picture; undo it if misnamed), newest first, with the camera&apos;s picture of that moment.</source>
        <translation>카운터 카메라가 본 것보다 적게 직원이 승인한 수량과 직원이 이름을 정한 알 수 없는 상품(★ N번: N번째로 제안된 상품, 검색: 이름으로 찾음, 상품 아님: 비슷한 물건은 무시함, 학습함: 키오스크가 그 사진으로 모습을 배움, 이름을 잘못 정했다면 학습 취소)을 최신순으로, 그 순간의 카메라 사진과 함께 보여 줍니다.</translation>
    </message>
    <message>
        <location filename="../staff/review_page.py" line="240"/>
        <source>Undo learning</source>
        <translation>학습 취소</translation>
    </message>
    <message>
        <location filename="../staff/review_page.py" line="242"/>
        <source>When</source>
        <translation>시각</translation>
    </message>
    <message>
        <location filename="../staff/review_page.py" line="242"/>
        <source>Product</source>
        <translation>상품</translation>
    </message>
    <message>
        <location filename="../staff/review_page.py" line="242"/>
        <source>Charged</source>
        <translation>결제 수량</translation>
    </message>
    <message>
        <location filename="../staff/review_page.py" line="242"/>
        <source>Camera saw</source>
        <translation>카메라 수량</translation>
    </message>
</context>
<context>
    <name>ScanningScreen</name>
    <message>
        <location filename="../shopper/scanning.py" line="44"/>
        <source>Spread your products out so the camera sees each one. Wrong count? Use － and ＋.</source>
        <translation>카메라가 상품을 하나씩 볼 수 있게 펼쳐 놓아 주세요. 수량이 다르면 － / ＋ 버튼을 눌러 주세요.</translation>
    </message>
</context>
<context>
    <name>SettingsPage</name>
    <message>
        <location filename="../staff/settings_page.py" line="251"/>
        <source>Kiosk settings</source>
        <translation>키오스크 설정</translation>
    </message>
    <message>
        <location filename="../staff/settings_page.py" line="254"/>
        <source>Cameras, language, time limits, full screen and the overlay change at once; the detection and face thresholds from the next start of the kiosk.</source>
        <translation>카메라, 언어, 시간 제한, 전체 화면, 통계 표시는 바로 바뀌고, 인식 및 얼굴 기준값은 키오스크를 다시 시작하면 적용됩니다.</translation>
    </message>
    <message>
        <location filename="../staff/settings_page.py" line="259"/>
        <source>Counter camera</source>
        <translation>계산대 카메라</translation>
    </message>
    <message>
        <location filename="../staff/settings_page.py" line="260"/>
        <source>Face camera</source>
        <translation>얼굴 카메라</translation>
    </message>
    <message>
        <location filename="../staff/settings_page.py" line="261"/>
        <source>Language</source>
        <translation>언어</translation>
    </message>
    <message>
        <location filename="../staff/settings_page.py" line="262"/>
        <source>Kiosk name (recorded with every sale)</source>
        <translation>키오스크 이름 (모든 판매에 기록)</translation>
    </message>
    <message>
        <location filename="../staff/settings_page.py" line="263"/>
        <source>Product detection confidence</source>
        <translation>상품 인식 신뢰도</translation>
    </message>
    <message>
        <location filename="../staff/settings_page.py" line="264"/>
        <source>Face match distance (lower is stricter)</source>
        <translation>얼굴 일치 거리 (낮을수록 엄격)</translation>
    </message>
    <message>
        <location filename="../staff/settings_page.py" line="265"/>
        <source>Face match margin (higher is stricter)</source>
        <translation>얼굴 일치 마진 (높을수록 엄격)</translation>
    </message>
    <message>
        <location filename="../staff/settings_page.py" line="266"/>
        <source>Payment time limit</source>
        <translation>결제 제한 시간</translation>
    </message>
    <message>
        <location filename="../staff/settings_page.py" line="267"/>
        <source>Receipt screen shown for</source>
        <translation>영수증 화면 표시 시간</translation>
    </message>
    <message>
        <location filename="../staff/settings_page.py" line="268"/>
        <source>Full screen</source>
        <translation>전체 화면</translation>
    </message>
    <message>
        <location filename="../staff/settings_page.py" line="269"/>
        <source>Show live stats on the shopper screen</source>
        <translation>고객 화면에 실시간 통계 표시</translation>
    </message>
    <message>
        <location filename="../staff/settings_page.py" line="273"/>
        <source>Fill the whole screen (kiosk mode)</source>
        <translation>화면 전체 사용 (키오스크 모드)</translation>
    </message>
    <message>
        <location filename="../staff/settings_page.py" line="274"/>
        <source>FPS and latency overlay</source>
        <translation>FPS·지연 시간 표시</translation>
    </message>
    <message>
        <location filename="../staff/settings_page.py" line="275"/>
        <source>Save settings</source>
        <translation>설정 저장</translation>
    </message>
    <message>
        <location filename="../staff/settings_page.py" line="276"/>
        <source>Discard changes</source>
        <translation>변경 취소</translation>
    </message>
    <message>
        <location filename="../staff/settings_page.py" line="278"/>
        <source> s</source>
        <comment>seconds after a number</comment>
        <translation>초</translation>
    </message>
    <message>
        <location filename="../staff/settings_page.py" line="329"/>
        <source>Enter a video file path or a stream URL.</source>
        <translation>동영상 파일 경로나 스트림 URL을 입력하세요.</translation>
    </message>
    <message>
        <location filename="../staff/settings_page.py" line="340"/>
        <location filename="../staff/settings_page.py" line="354"/>
        <source>Settings not saved</source>
        <translation>설정을 저장하지 못했습니다</translation>
    </message>
    <message>
        <location filename="../staff/settings_page.py" line="344"/>
        <source>Saved.</source>
        <translation>저장했습니다.</translation>
    </message>
</context>
<context>
    <name>StaffArea</name>
    <message>
        <location filename="../staff/staff_area.py" line="195"/>
        <source>Staff</source>
        <translation>직원 메뉴</translation>
    </message>
    <message>
        <location filename="../staff/staff_area.py" line="196"/>
        <source>Back to checkout</source>
        <translation>계산 화면으로</translation>
    </message>
    <message>
        <location filename="../staff/staff_area.py" line="198"/>
        <source>A shopper called for help at {time}.</source>
        <translation>{time}에 고객이 직원을 불렀어요.</translation>
    </message>
    <message>
        <location filename="../staff/staff_area.py" line="200"/>
        <source>Done</source>
        <translation>확인</translation>
    </message>
    <message>
        <location filename="../staff/staff_area.py" line="202"/>
        <source>Register a face</source>
        <translation>얼굴 등록</translation>
    </message>
    <message>
        <location filename="../staff/staff_area.py" line="203"/>
        <source>People</source>
        <translation>등록 고객</translation>
    </message>
    <message>
        <location filename="../staff/staff_area.py" line="204"/>
        <source>Products</source>
        <translation>상품</translation>
    </message>
    <message>
        <location filename="../staff/staff_area.py" line="205"/>
        <source>Review</source>
        <translation>검토</translation>
    </message>
    <message>
        <location filename="../staff/staff_area.py" line="206"/>
        <source>System</source>
        <translation>시스템</translation>
    </message>
    <message>
        <location filename="../staff/staff_area.py" line="207"/>
        <source>Settings</source>
        <translation>설정</translation>
    </message>
    <message>
        <location filename="../staff/staff_area.py" line="213"/>
        <source>Face pay is off on this kiosk, so faces cannot be registered or managed here.

{reason}

The System tab shows the same reason.</source>
        <translation>이 키오스크는 얼굴 결제가 꺼져 있어 여기서 얼굴을 등록하거나 관리할 수 없습니다.

{reason}

시스템 탭에도 같은 이유가 표시됩니다.</translation>
    </message>
</context>
<context>
    <name>SystemPage</name>
    <message>
        <location filename="../staff/system_page.py" line="201"/>
        <source>System health</source>
        <translation>시스템 상태</translation>
    </message>
    <message>
        <location filename="../staff/system_page.py" line="202"/>
        <source>Mark as seen</source>
        <translation>확인함</translation>
    </message>
    <message>
        <location filename="../staff/system_page.py" line="203"/>
        <source>Detection FPS</source>
        <translation>인식 FPS</translation>
    </message>
    <message>
        <location filename="../staff/system_page.py" line="204"/>
        <source>Camera FPS</source>
        <translation>카메라 FPS</translation>
    </message>
    <message>
        <location filename="../staff/system_page.py" line="205"/>
        <source>Screen FPS</source>
        <translation>화면 FPS</translation>
    </message>
    <message>
        <location filename="../staff/system_page.py" line="206"/>
        <source>Frames skipped</source>
        <translation>건너뛴 프레임</translation>
    </message>
    <message>
        <location filename="../staff/system_page.py" line="207"/>
        <source>CPU</source>
        <translation>CPU</translation>
    </message>
    <message>
        <location filename="../staff/system_page.py" line="208"/>
        <source>RAM used</source>
        <translation>RAM 사용량</translation>
    </message>
    <message>
        <location filename="../staff/system_page.py" line="209"/>
        <source>Kiosk app memory</source>
        <translation>키오스크 앱 메모리</translation>
    </message>
    <message>
        <location filename="../staff/system_page.py" line="210"/>
        <source>GPU</source>
        <translation>GPU</translation>
    </message>
    <message>
        <location filename="../staff/system_page.py" line="211"/>
        <source>Latency per stage (median ms)</source>
        <translation>단계별 지연 시간 (중앙값, ms)</translation>
    </message>
    <message>
        <location filename="../staff/system_page.py" line="214"/>
        <source>Model file</source>
        <translation>모델 파일</translation>
    </message>
    <message>
        <location filename="../staff/system_page.py" line="215"/>
        <source>sha256</source>
        <translation>sha256</translation>
    </message>
    <message>
        <location filename="../staff/system_page.py" line="216"/>
        <source>Architecture</source>
        <translation>아키텍처</translation>
    </message>
    <message>
        <location filename="../staff/system_page.py" line="217"/>
        <source>mAP50</source>
        <translation>mAP50</translation>
    </message>
    <message>
        <location filename="../staff/system_page.py" line="218"/>
        <source>mAP50-95</source>
        <translation>mAP50-95</translation>
    </message>
    <message>
        <location filename="../staff/system_page.py" line="250"/>
        <source>Detector backend: {name}</source>
        <translation>인식 백엔드: {name}</translation>
    </message>
    <message>
        <location filename="../staff/system_page.py" line="254"/>
        <source>Face pay is off: {reason}</source>
        <translation>얼굴 결제 꺼짐: {reason}</translation>
    </message>
    <message>
        <location filename="../staff/system_page.py" line="258"/>
        <source>Face pay is ready.</source>
        <translation>얼굴 결제 준비 완료.</translation>
    </message>
    <message>
        <location filename="../staff/system_page.py" line="268"/>
        <source>Payments interrupted by a crash or a power cut before this start:</source>
        <translation>이번 시작 전에 오류나 정전으로 중단된 결제:</translation>
    </message>
    <message>
        <location filename="../staff/system_page.py" line="271"/>
        <source>charged (receipt {receipt}); the shopper may not have seen it</source>
        <translation>결제됨 (영수증 {receipt}); 고객이 완료 화면을 보지 못했을 수 있습니다</translation>
    </message>
    <message>
        <location filename="../staff/system_page.py" line="273"/>
        <source>not charged</source>
        <translation>결제되지 않음</translation>
    </message>
    <message>
        <location filename="../staff/system_page.py" line="292"/>
        <source>camera read</source>
        <translation>카메라 읽기</translation>
    </message>
    <message>
        <location filename="../staff/system_page.py" line="293"/>
        <source>preprocess</source>
        <translation>전처리</translation>
    </message>
    <message>
        <location filename="../staff/system_page.py" line="294"/>
        <source>inference</source>
        <translation>추론</translation>
    </message>
    <message>
        <location filename="../staff/system_page.py" line="295"/>
        <source>postprocess</source>
        <translation>후처리</translation>
    </message>
    <message>
        <location filename="../staff/system_page.py" line="296"/>
        <source>tracking</source>
        <translation>추적</translation>
    </message>
    <message>
        <location filename="../staff/system_page.py" line="341"/>
        <source>of {total}</source>
        <translation>전체 {total}</translation>
    </message>
    <message>
        <location filename="../staff/system_page.py" line="348"/>
        <source>no GPU</source>
        <translation>GPU 없음</translation>
    </message>
    <message>
        <location filename="../staff/system_page.py" line="355"/>
        <source>{memory} (shared with CPU)</source>
        <translation>{memory} (CPU와 공유)</translation>
    </message>
</context>
<context>
    <name>TeachDialog</name>
    <message>
        <location filename="../staff/teach_dialog.py" line="172"/>
        <location filename="../staff/teach_dialog.py" line="173"/>
        <source>Teach a product</source>
        <translation>상품 학습</translation>
    </message>
    <message>
        <location filename="../staff/teach_dialog.py" line="174"/>
        <source>SKU</source>
        <translation>SKU</translation>
    </message>
    <message>
        <location filename="../staff/teach_dialog.py" line="174"/>
        <source>Barcode</source>
        <translation>바코드</translation>
    </message>
    <message>
        <location filename="../staff/teach_dialog.py" line="174"/>
        <source>Name</source>
        <translation>상품명</translation>
    </message>
    <message>
        <location filename="../staff/teach_dialog.py" line="174"/>
        <source>Price (won)</source>
        <translation>가격(원)</translation>
    </message>
    <message>
        <location filename="../staff/teach_dialog.py" line="177"/>
        <source>scan or type (optional)</source>
        <translation>스캔 또는 입력 (선택)</translation>
    </message>
    <message>
        <location filename="../staff/teach_dialog.py" line="179"/>
        <source>Add photos…</source>
        <translation>사진 추가…</translation>
    </message>
    <message>
        <location filename="../staff/teach_dialog.py" line="180"/>
        <source>Remove photo</source>
        <translation>사진 빼기</translation>
    </message>
    <message>
        <location filename="../staff/teach_dialog.py" line="181"/>
        <source>Take photo</source>
        <translation>사진 찍기</translation>
    </message>
    <message>
        <location filename="../staff/teach_dialog.py" line="182"/>
        <source>Cut the product out of the empty counter</source>
        <translation>빈 계산대에서 상품만 잘라 내기</translation>
    </message>
    <message>
        <location filename="../staff/teach_dialog.py" line="183"/>
        <source>Teach</source>
        <translation>학습</translation>
    </message>
    <message>
        <location filename="../staff/teach_dialog.py" line="184"/>
        <source>Cancel</source>
        <translation>취소</translation>
    </message>
    <message>
        <location filename="../staff/teach_dialog.py" line="195"/>
        <source>the front</source>
        <translation>앞면</translation>
    </message>
    <message>
        <location filename="../staff/teach_dialog.py" line="196"/>
        <source>the back</source>
        <translation>뒷면</translation>
    </message>
    <message>
        <location filename="../staff/teach_dialog.py" line="197"/>
        <source>the top</source>
        <translation>윗면</translation>
    </message>
    <message>
        <location filename="../staff/teach_dialog.py" line="198"/>
        <source>the left side</source>
        <translation>왼쪽 옆면</translation>
    </message>
    <message>
        <location filename="../staff/teach_dialog.py" line="199"/>
        <source>the right side</source>
        <translation>오른쪽 옆면</translation>
    </message>
    <message>
        <location filename="../staff/teach_dialog.py" line="200"/>
        <source>turned over</source>
        <translation>뒤집은 모습</translation>
    </message>
    <message>
        <location filename="../staff/teach_dialog.py" line="201"/>
        <source>in a hand</source>
        <translation>손에 든 모습</translation>
    </message>
    <message>
        <location filename="../staff/teach_dialog.py" line="202"/>
        <source>lying on its side</source>
        <translation>옆으로 눕힌 모습</translation>
    </message>
    <message>
        <location filename="../staff/teach_dialog.py" line="203"/>
        <source>from an angle</source>
        <translation>비스듬한 모습</translation>
    </message>
    <message>
        <location filename="../staff/teach_dialog.py" line="204"/>
        <source>closer, filling the picture</source>
        <translation>화면을 채우도록 가까이</translation>
    </message>
    <message>
        <location filename="../staff/teach_dialog.py" line="211"/>
        <source>too small: move the camera closer</source>
        <translation>너무 작아요: 카메라를 더 가까이 하세요</translation>
    </message>
    <message>
        <location filename="../staff/teach_dialog.py" line="212"/>
        <source>nothing there: put the product on the counter</source>
        <translation>아무것도 없어요: 상품을 계산대에 올리세요</translation>
    </message>
    <message>
        <location filename="../staff/teach_dialog.py" line="213"/>
        <source>blurred: hold the product and the camera still</source>
        <translation>흐려요: 상품과 카메라를 움직이지 마세요</translation>
    </message>
    <message>
        <location filename="../staff/teach_dialog.py" line="215"/>
        <source>several objects: leave only this product on the counter</source>
        <translation>물건이 여러 개예요: 계산대에 이 상품만 두세요</translation>
    </message>
    <message>
        <location filename="../staff/teach_dialog.py" line="222"/>
        <source>Retake empty counter</source>
        <translation>빈 계산대 다시 찍기</translation>
    </message>
    <message>
        <location filename="../staff/teach_dialog.py" line="224"/>
        <source>Take empty counter</source>
        <translation>빈 계산대 찍기</translation>
    </message>
    <message>
        <location filename="../staff/teach_dialog.py" line="302"/>
        <source>The empty-counter shot was not kept: %1</source>
        <translation>빈 계산대 사진을 저장하지 못했습니다: %1</translation>
    </message>
    <message>
        <location filename="../staff/teach_dialog.py" line="309"/>
        <source>Empty counter taken: products are cut out of it, here and at checkout. Take it again when the light or the camera changes.</source>
        <translation>빈 계산대를 찍었습니다: 여기와 계산할 때 상품만 잘라 냅니다. 조명이나 카메라가 바뀌면 다시 찍으세요.</translation>
    </message>
    <message>
        <location filename="../staff/teach_dialog.py" line="228"/>
        <source>%1 photos: that is enough. Teach when the fields are filled in.</source>
        <translation>사진 %1장: 충분합니다. 항목을 모두 입력하고 학습하세요.</translation>
    </message>
    <message>
        <location filename="../staff/teach_dialog.py" line="231"/>
        <source>Photo %1 of up to %2 (at least %3): show %4.</source>
        <translation>사진 %1 / 최대 %2장 (최소 %3장) — 찍을 모습: %4</translation>
    </message>
    <message>
        <location filename="../staff/teach_dialog.py" line="259"/>
        <source>Already %1 photos: remove one to add another.</source>
        <translation>이미 사진이 %1장입니다: 하나를 빼고 추가하세요.</translation>
    </message>
    <message>
        <location filename="../staff/teach_dialog.py" line="265"/>
        <source>The camera changed: take the empty counter again.</source>
        <translation>카메라가 바뀌었어요: 빈 계산대를 다시 찍으세요.</translation>
    </message>
    <message>
        <location filename="../staff/teach_dialog.py" line="269"/>
        <source>%1 was not added: %2</source>
        <translation>추가하지 않음 (%1): %2</translation>
    </message>
    <message>
        <location filename="../staff/teach_dialog.py" line="279"/>
        <source>%1 added.</source>
        <translation>추가했습니다: %1</translation>
    </message>
    <message>
        <location filename="../staff/teach_dialog.py" line="287"/>
        <location filename="../staff/teach_dialog.py" line="296"/>
        <source>No picture from the counter camera yet.</source>
        <translation>계산대 카메라 화면이 아직 없습니다.</translation>
    </message>
    <message>
        <location filename="../staff/teach_dialog.py" line="289"/>
        <source>Photo %1</source>
        <translation>사진 %1</translation>
    </message>
    <message>
        <location filename="../staff/teach_dialog.py" line="320"/>
        <source>Choose photos of one product</source>
        <translation>한 상품의 사진 선택</translation>
    </message>
    <message>
        <location filename="../staff/teach_dialog.py" line="321"/>
        <source>Images (%1)</source>
        <translation>이미지 (%1)</translation>
    </message>
    <message>
        <location filename="../staff/teach_dialog.py" line="365"/>
        <source>A price is a whole, non-negative number of won, e.g. 1500.</source>
        <translation>가격은 0 이상의 정수(원)로 입력하세요. 예: 1500</translation>
    </message>
    <message>
        <location filename="../staff/teach_dialog.py" line="390"/>
        <source>Learning the product…</source>
        <translation>상품을 학습하는 중…</translation>
    </message>
    <message>
        <location filename="../staff/teach_dialog.py" line="392"/>
        <source>Loading the recognition models, then learning the product…</source>
        <translation>인식 모델을 불러온 뒤 상품을 학습하는 중…</translation>
    </message>
    <message>
        <location filename="../staff/teach_dialog.py" line="423"/>
        <source>Teaching failed, nothing was stored: %1</source>
        <translation>학습에 실패했습니다. 아무것도 저장하지 않았습니다: %1</translation>
    </message>
</context>
</TS>
